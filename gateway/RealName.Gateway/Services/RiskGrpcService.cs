using RealName.Contracts.V1;
using RealName.Grains.Enterprises;
using RealName.Grains.Subscribers;
using RealName.Rules;
using RealName.Storage.Reads;

namespace RealName.Gateway.Services;

/// <summary>
/// realname.v1.RiskService: fraud reports, re-review triggers, IoT approvals and face clusters. A carrier-scoped
/// risk operator acts only on its carriers' numbers and sees the clusters that touch them; IoT approvals concern
/// enterprises, not carriers.
/// </summary>
[Authorize(Roles = Roles.RiskOperator)]
public sealed class RiskGrpcService(IClusterClient cluster, TimeProvider clock, FaceClusters faceClusters) : RiskService.RiskServiceBase
{
    private const int DefaultClusters = 50;
    private const int MaxClusters = 1000;

    public override async Task<ListFaceClustersResponse> ListFaceClusters(ListFaceClustersRequest request, ServerCallContext context)
    {
        var violations = new Violations();
        if (request.Limit is < 0 or > MaxClusters)
        {
            violations.Add("limit", $"between 0 and {MaxClusters} (0: {DefaultClusters})");
        }

        violations.ThrowIfAny();
        var rights = CallerRights.Of(context);
        var since = request.Since?.ToDateTimeOffset();
        var limit = request.Limit == 0 ? DefaultClusters : request.Limit;
        var clusters = await faceClusters.ListAsync(since, rights.CarrierIds.Count == 0 ? limit : int.MaxValue, context.CancellationToken);
        var response = new ListFaceClustersResponse();
        response.Clusters.AddRange(clusters.Where(c => c.Concerns(rights)).Take(limit).Select(c => c.ToContract(rights)));
        return response;
    }

    public override async Task<ReportFraudResponse> ReportFraud(ReportFraudRequest request, ServerCallContext context)
    {
        var violations = new Violations();
        EvidenceReader.PhoneNumber(request.PhoneNumber, violations);
        EvidenceReader.RequestKey(request.ReportId, "report_id", violations);
        violations.ThrowIfAny();
        await RequireCarrierOf(context, request.PhoneNumber);

        var result = await cluster.GetGrain<ISubscriberGrain>(request.PhoneNumber).ReportFraud(Caller.Name(context), request.ReportId);
        return new ReportFraudResponse { Outcome = result.ToContract() };
    }

    public override async Task<TriggerReReviewResponse> TriggerReReview(TriggerReReviewRequest request, ServerCallContext context)
    {
        var violations = new Violations();
        EvidenceReader.PhoneNumber(request.PhoneNumber, violations);
        RealName.Rules.ReReviewTrigger? trigger = request.Trigger switch
        {
            Contracts.V1.ReReviewTrigger.SimReplacement => RealName.Rules.ReReviewTrigger.SimReplacement,
            Contracts.V1.ReReviewTrigger.DormantReactivation => RealName.Rules.ReReviewTrigger.DormantReactivation,
            Contracts.V1.ReReviewTrigger.ManyCards => RealName.Rules.ReReviewTrigger.ManyCards,
            Contracts.V1.ReReviewTrigger.RiskAlert => RealName.Rules.ReReviewTrigger.RiskAlert,
            Contracts.V1.ReReviewTrigger.Periodic => RealName.Rules.ReReviewTrigger.Periodic,
            Contracts.V1.ReReviewTrigger.Manual => RealName.Rules.ReReviewTrigger.Manual,
            _ => null,
        };
        violations.Add(ReReviewRules.CheckOperatorTrigger(trigger));

        violations.ThrowIfAny();
        await RequireCarrierOf(context, request.PhoneNumber);
        var result = await cluster.GetGrain<ISubscriberGrain>(request.PhoneNumber).TriggerReReview(trigger!.Value, Caller.Name(context), null);
        return new TriggerReReviewResponse { Outcome = result.ToContract() };
    }

    public override async Task<ApproveIotQuotaResponse> ApproveIotQuota(ApproveIotQuotaRequest request, ServerCallContext context)
    {
        var violations = new Violations();
        var enterprise = EvidenceReader.Enterprise(request.Enterprise, "enterprise", violations);
        if (request.Enterprise is null)
        {
            violations.Add(new RuleViolation(ReasonCode.FieldRequired, "enterprise", "the enterprise to approve"));
        }

        if (request.Quota is < 1 or > 10_000_000)
        {
            violations.Add("quota", "between 1 and 10,000,000");
        }

        if (string.IsNullOrWhiteSpace(request.AssessmentReference))
        {
            violations.Add("assessment_reference", "required: IoT cards are approved only after a risk assessment");
        }

        violations.ThrowIfAny();
        var grain = cluster.GetGrain<IEnterpriseGrain>(enterprise!.CreditCode);
        await grain.ApproveIot(new IotApproval(request.Quota, Caller.Name(context), request.AssessmentReference.Trim(), clock.GetUtcNow()));
        return new ApproveIotQuotaResponse { Quota = request.Quota, CardsHeld = await grain.IotCardsHeld() };
    }

    private async Task RequireCarrierOf(ServerCallContext context, string phoneNumber)
    {
        var scope = CallerRights.Of(context);
        if (scope.CarrierIds.Count > 0 && await cluster.GetGrain<ISubscriberGrain>(phoneNumber).GetRecord() is { } record)
        {
            scope.RequireCarrier(record.RegisteredBy.CarrierId);
        }
    }
}
