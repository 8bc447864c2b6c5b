using RealName.Contracts.V1;
using RealName.Gateway.Identity;
using RealName.Grains.Enterprises;
using RealName.Grains.Restrictions;
using RealName.Grains.FraudReports;
using RealName.Grains.Outlets;
using RealName.Grains.Subscribers;
using RealName.Rules;
using RealName.Storage.Reads;

namespace RealName.Gateway.Services;

/// <summary>
/// realname.v1.RiskService: fraud reports and their cases, re-review triggers, IoT approvals, face clusters, outlet
/// suspensions and restricted persons. A carrier-scoped risk operator acts only on its carriers' numbers and cases and
/// sees the clusters that touch them; IoT approvals concern enterprises, not carriers. Outlets (like campaigns) span
/// carriers, and a restriction bars an identity at every carrier, so suspending and reinstating outlets, restricting,
/// lifting and deciding appeals need an operator not limited to carriers; any risk operator may enter an appeal and list.
/// </summary>
[Authorize(Roles = Roles.RiskOperator)]
public sealed class RiskGrpcService(
    IClusterClient cluster,
    TimeProvider clock,
    FaceClusters faceClusters,
    SuspendedOutlets suspendedOutlets,
    IdentityProtector identities,
    CivilCalendar calendar) : RiskService.RiskServiceBase
{
    private const int DefaultClusters = 50;
    private const int MaxClusters = 1000;
    private const int DefaultRestrictions = 100;
    private const int MaxRestrictions = 1000;

    public override async Task<RestrictIdentityResponse> RestrictIdentity(RestrictIdentityRequest request, ServerCallContext context)
    {
        var violations = new Violations();
        var now = clock.GetUtcNow();
        EvidenceReader.RequestKey(request.RequestId, "request_id", violations);
        var (kind, number) = (EvidenceReader.Kind(request.Document?.Type ?? DocumentType.Unspecified), request.Document?.Number ?? "");
        var (normalized, documentViolations) = DocumentRules.CheckNumber(kind, number, calendar.Today(clock), "document");
        violations.AddRange(documentViolations);
        var startsAt = EvidenceReader.Time(request.StartsAt, "starts_at", violations);
        var endsAt = EvidenceReader.Time(request.EndsAt, "ends_at", violations);
        if (request.EndsAt is null || endsAt is not null)
        {
            violations.AddRange(RestrictionRules.CheckOrder(new RestrictionInput(request.Reason, request.AuthorityReference, startsAt ?? now, endsAt), now));
        }

        violations.ThrowIfAny();
        RequireAllCarriers(context, "A restriction holds at every carrier: it is");
        var identityKey = identities.IdentityKey(kind!.Value, normalized!);
        var order = new RestrictionOrder(request.RequestId, kind.Value, PersonalDataMasks.Number(normalized!), request.Reason.Trim(), request.AuthorityReference.Trim(), startsAt, endsAt!.Value);
        var outcome = await cluster.GetGrain<IRestrictionGrain>(identityKey).Restrict(order, Caller.Name(context));
        return new RestrictIdentityResponse { Restriction = outcome.Accepted().ToContract(now), Replayed = outcome.Replayed };
    }

    public override async Task<LiftRestrictionResponse> LiftRestriction(LiftRestrictionRequest request, ServerCallContext context)
    {
        var violations = new Violations();
        var identityKey = RestrictionKey(request.RestrictionId, appeal: false, "restriction_id", violations);
        violations.Add(RestrictionRules.CheckText(request.Reason, RestrictionRules.MaxReasonLength, "reason"));
        EvidenceReader.RequestKey(request.RequestId, "request_id", violations);
        violations.ThrowIfAny();
        RequireAllCarriers(context, "A restriction holds at every carrier: it is");
        var outcome = await cluster.GetGrain<IRestrictionGrain>(identityKey!).Lift(request.RestrictionId, request.Reason.Trim(), request.RequestId, Caller.Name(context));
        return new LiftRestrictionResponse { Restriction = outcome.Accepted().ToContract(clock.GetUtcNow()), Replayed = outcome.Replayed };
    }

    public override async Task<FileRestrictionAppealResponse> FileRestrictionAppeal(FileRestrictionAppealRequest request, ServerCallContext context)
    {
        var violations = new Violations();
        var identityKey = RestrictionKey(request.RestrictionId, appeal: false, "restriction_id", violations);
        violations.Add(RestrictionRules.CheckText(request.Statement, RestrictionRules.MaxStatementLength, "statement"));
        violations.Add(RestrictionRules.CheckText(request.ReceivedVia, RestrictionRules.MaxReceivedViaLength, "received_via"));
        EvidenceReader.RequestKey(request.RequestId, "request_id", violations);
        violations.ThrowIfAny();
        var filing = new AppealFiling(request.RequestId, request.Statement.Trim(), request.ReceivedVia.Trim());
        var outcome = await cluster.GetGrain<IRestrictionGrain>(identityKey!).FileAppeal(request.RestrictionId, filing, Caller.Name(context));
        return new FileRestrictionAppealResponse { Restriction = outcome.Accepted().ToContract(clock.GetUtcNow()), AppealId = outcome.AppealId, Replayed = outcome.Replayed };
    }

    public override async Task<DecideRestrictionAppealResponse> DecideRestrictionAppeal(DecideRestrictionAppealRequest request, ServerCallContext context)
    {
        var violations = new Violations();
        var identityKey = RestrictionKey(request.AppealId, appeal: true, "appeal_id", violations);
        if (request.Decision is not (Contracts.V1.AppealDecision.Uphold or Contracts.V1.AppealDecision.Lift))
        {
            violations.Add(new RuleViolation(ReasonCode.FieldRequired, "decision", "UPHOLD or LIFT"));
        }

        violations.Add(RestrictionRules.CheckText(request.Reason, RestrictionRules.MaxReasonLength, "reason"));
        EvidenceReader.RequestKey(request.RequestId, "request_id", violations);
        violations.ThrowIfAny();
        RequireAllCarriers(context, "A restriction holds at every carrier: it is");
        var outcome = await cluster.GetGrain<IRestrictionGrain>(identityKey!).DecideAppeal(
            request.AppealId, request.Decision == Contracts.V1.AppealDecision.Lift, request.Reason.Trim(), request.RequestId, Caller.Name(context));
        return new DecideRestrictionAppealResponse { Restriction = outcome.Accepted().ToContract(clock.GetUtcNow()), Replayed = outcome.Replayed };
    }

    public override async Task<ListRestrictionsResponse> ListRestrictions(ListRestrictionsRequest request, ServerCallContext context)
    {
        var violations = new Violations();
        if (request.Limit is < 0 or > MaxRestrictions)
        {
            violations.Add("limit", $"OUT_OF_RANGE: between 0 and {MaxRestrictions} (0: {DefaultRestrictions})");
        }

        violations.ThrowIfAny();
        var now = clock.GetUtcNow();
        var keys = await RestrictionDirectory.AllIdentityKeys(cluster);
        var lists = await Task.WhenAll(keys.Select(key => cluster.GetGrain<IRestrictionGrain>(key).List()));
        var wanted = lists.SelectMany(list => list)
            .Where(r => request.IncludeInactive || r.StatusAt(now) is Rules.RestrictionStatus.Active or Rules.RestrictionStatus.Scheduled)
            .Where(r => !request.OpenAppealsOnly || r.HasOpenAppeal)
            .OrderByDescending(r => r.RestrictedAt).ThenBy(r => r.RestrictionId, StringComparer.Ordinal)
            .Take(request.Limit == 0 ? DefaultRestrictions : request.Limit);
        var response = new ListRestrictionsResponse();
        response.Restrictions.AddRange(wanted.Select(r => r.ToContract(now)));
        return response;
    }

    /// <summary>The identity key inside a restriction or appeal id; an id of neither form is INVALID_ARGUMENT.</summary>
    private static string? RestrictionKey(string id, bool appeal, string field, Violations violations)
    {
        var key = RestrictionIds.IdentityKeyOf(id, appeal);
        if (key is null)
        {
            violations.Add(new RuleViolation(ReasonCode.FieldRequired, field, appeal ? "an appeal id as FileRestrictionAppeal returned it" : "a restriction id as RestrictIdentity returned it"));
        }

        return key;
    }

    /// <summary>
    /// Restrictions bar an identity at every carrier, and outlet ids span carriers (as campaigns do): only an operator
    /// not limited to carriers changes them.
    /// </summary>
    private static void RequireAllCarriers(ServerCallContext context, string what)
    {
        if (CallerRights.Of(context).CarrierIds.Count > 0)
        {
            throw CallerRights.Denied($"{what} changed by a RISK_OPERATOR not limited to carriers.");
        }
    }

    public override async Task<ListFaceClustersResponse> ListFaceClusters(ListFaceClustersRequest request, ServerCallContext context)
    {
        var violations = new Violations();
        if (request.Limit is < 0 or > MaxClusters)
        {
            violations.Add("limit", $"OUT_OF_RANGE: between 0 and {MaxClusters} (0: {DefaultClusters})");
        }

        var since = EvidenceReader.Time(request.Since, "since", violations);
        violations.ThrowIfAny();
        var rights = CallerRights.Of(context);
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
        var source = request.Source.ToGrain();
        if (source is null)
        {
            violations.Add(new RuleViolation(ReasonCode.FieldRequired, "source", "where the report came from: POLICE_NOTICE, USER_REPORT or INTERNAL_MODEL"));
        }

        violations.ThrowIfAny();
        await RequireCarrierOf(context, request.PhoneNumber);

        // The report becomes a case (a grain per report id) that records it on the number, starts the re-review and follows it.
        var reference = string.IsNullOrWhiteSpace(request.SourceReference) ? null : request.SourceReference.Trim();
        var filed = await Report(request.ReportId).File(new FraudReportFiling(request.PhoneNumber, source!.Value, reference, Caller.Name(context)));
        return new ReportFraudResponse { Outcome = filed.Trigger.ToContract(), Report = filed.ToContract() };
    }

    public override async Task<GetFraudReportResponse> GetFraudReport(GetFraudReportRequest request, ServerCallContext context)
    {
        var violations = new Violations();
        EvidenceReader.RequestKey(request.ReportId, "report_id", violations);
        violations.ThrowIfAny();
        var report = await Report(request.ReportId).Get() ?? throw NoSuchReport();
        RequireScopeOf(context, report);
        return new GetFraudReportResponse { Report = report.ToContract() };
    }

    public override async Task<CloseFraudReportResponse> CloseFraudReport(CloseFraudReportRequest request, ServerCallContext context)
    {
        var violations = new Violations();
        EvidenceReader.RequestKey(request.ReportId, "report_id", violations);
        var verdict = request.Verdict.ToGrain();
        if (verdict is null)
        {
            violations.Add(new RuleViolation(ReasonCode.FieldRequired, "verdict", "UNFOUNDED or FRAUD_CONFIRMED"));
        }

        if (string.IsNullOrWhiteSpace(request.Feedback))
        {
            violations.Add(new RuleViolation(ReasonCode.FieldRequired, "feedback", "the feedback for the reporter"));
        }

        violations.ThrowIfAny();
        var grain = Report(request.ReportId);
        var report = await grain.Get() ?? throw NoSuchReport();
        RequireScopeOf(context, report);
        var closed = await grain.Close(verdict!.Value, request.Feedback.Trim(), Caller.Name(context));
        return closed.Refusal is { } refusal
            ? throw GrpcErrors.Refused(refusal)
            : new CloseFraudReportResponse { Report = closed.Case!.ToContract() };
    }

    public override async Task<SuspendOutletResponse> SuspendOutlet(SuspendOutletRequest request, ServerCallContext context)
    {
        var violations = new Violations();
        OutletAndReason(request.OutletId, request.Reason, violations);
        violations.ThrowIfAny();
        RequireAllCarriers(context, "Outlets span carriers: they are");
        var suspension = await cluster.GetGrain<IOutletGrain>(request.OutletId).Suspend(Caller.Name(context), request.Reason.Trim(), request.StartCampaign);
        return new SuspendOutletResponse { Suspension = suspension.ToContract() };
    }

    public override async Task<ReinstateOutletResponse> ReinstateOutlet(ReinstateOutletRequest request, ServerCallContext context)
    {
        var violations = new Violations();
        OutletAndReason(request.OutletId, request.Reason, violations);
        violations.ThrowIfAny();
        RequireAllCarriers(context, "Outlets span carriers: they are");
        var answer = await cluster.GetGrain<IOutletGrain>(request.OutletId).Reinstate(Caller.Name(context), request.Reason.Trim());
        return answer.Refusal is { } refusal
            ? throw GrpcErrors.Refused(refusal)
            : new ReinstateOutletResponse { OutletId = request.OutletId, ReinstatedAt = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(answer.At) };
    }

    public override async Task<ListSuspendedOutletsResponse> ListSuspendedOutlets(ListSuspendedOutletsRequest request, ServerCallContext context)
    {
        var response = new ListSuspendedOutletsResponse();
        response.Outlets.AddRange((await suspendedOutlets.ListAsync(context.CancellationToken)).Select(s => s.ToContract()));
        return response;
    }

    private IFraudReportGrain Report(string reportId) => cluster.GetGrain<IFraudReportGrain>(reportId);

    private static RpcException NoSuchReport() => GrpcErrors.Error(ReasonCode.FraudReportNotFound, "No fraud report has this id.");

    private static void OutletAndReason(string outletId, string reason, Violations violations)
    {
        if (string.IsNullOrWhiteSpace(outletId) || outletId != outletId.Trim() || outletId.Any(char.IsControl))
        {
            violations.Add(new RuleViolation(ReasonCode.FieldRequired, "outlet_id", "the outlet id as registrations carry it (no surrounding spaces or control characters)"));
        }

        if (string.IsNullOrWhiteSpace(reason))
        {
            violations.Add(new RuleViolation(ReasonCode.FieldRequired, "reason", "why, for the audit log"));
        }
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
            violations.Add("quota", "OUT_OF_RANGE: between 1 and 10,000,000");
        }

        if (string.IsNullOrWhiteSpace(request.AssessmentReference))
        {
            violations.Add(new RuleViolation(ReasonCode.FieldRequired, "assessment_reference", "required: IoT cards are approved only after a risk assessment"));
        }

        violations.ThrowIfAny();
        var grain = cluster.GetGrain<IEnterpriseGrain>(enterprise!.CreditCode);
        await grain.ApproveIot(new IotApproval(request.Quota, Caller.Name(context), request.AssessmentReference.Trim(), clock.GetUtcNow()));
        return new ApproveIotQuotaResponse { Quota = request.Quota, CardsHeld = await grain.IotCardsHeld() };
    }

    /// <summary>
    /// A report is its number's carrier's; one on a number not in service (no carrier) is its filer's, so a
    /// carrier-scoped operator reads and closes the reports it filed.
    /// </summary>
    private static void RequireScopeOf(ServerCallContext context, FraudReportCase report)
    {
        if (report.CarrierId.Length > 0 || report.Filing.Actor != Caller.Name(context))
        {
            CallerRights.Of(context).RequireCarrier(report.CarrierId);
        }
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
