using Google.Protobuf.WellKnownTypes;
using RealName.Contracts.V1;
using RealName.Grains.Campaigns;
using RealName.Storage.Reads;
using RealName.Rules;

namespace RealName.Gateway.Audit;

/// <summary>
/// realname.v1.AuditService: reports, traces, exports and chain verification over the audit log; campaigns
/// on the grid. Each method names its roles: reads are the auditors', campaigns are started by risk operators.
/// </summary>
public sealed class AuditGrpcService(AuditReports reports, IClusterClient cluster) : AuditService.AuditServiceBase
{
    /// <summary>Longest report period (a day-by-clerk report over it is still a bounded result).</summary>
    public static readonly TimeSpan MaxReportPeriod = TimeSpan.FromDays(400);

    [Authorize(Roles = Roles.Auditor)]
    public override async Task<GetConsistencyReportResponse> GetConsistencyReport(GetConsistencyReportRequest request, ServerCallContext context)
    {
        var violations = new Violations();
        var (from, to) = AuditValidation.Period(request.From, request.To, violations, required: true);
        if (from is { } f && to is { } t && t - f > MaxReportPeriod)
        {
            violations.Add("to", $"PERIOD_TOO_LONG: at most {MaxReportPeriod.TotalDays:0} days");
        }

        var bucket = request.Bucket.ToStorage();
        if (bucket is null)
        {
            violations.Add("bucket", "REQUIRED: TIME_BUCKET_DAY, _WEEK, _MONTH or _PERIOD");
        }

        var dimension = request.Dimension.ToStorage();
        if (dimension is null)
        {
            violations.Add("dimension", "UNKNOWN_DIMENSION");
        }

        violations.ThrowIfAny();

        var report = await reports.GetConsistencyReportAsync(new ReportQuery(from!.Value, to!.Value, bucket!.Value, dimension!.Value), context.CancellationToken);
        var response = new GetConsistencyReportResponse { Total = report.Total.ToContract(), Query = request.Clone() };
        response.Rows.AddRange(report.Rows.Select(r => r.ToContract()));
        return response;
    }

    [Authorize(Roles = Roles.Auditor)]
    public override async Task<TraceNumberResponse> TraceNumber(TraceNumberRequest request, ServerCallContext context)
    {
        var violations = new Violations();
        EvidenceReader.PhoneNumber(request.PhoneNumber, violations);
        violations.ThrowIfAny();
        var trace = await reports.TraceNumberAsync(request.PhoneNumber, context.CancellationToken);
        var response = new TraceNumberResponse
        {
            PhoneNumber = trace.PhoneNumber,
            Registration = trace.Registration?.ToContract(),
            CurrentStatus = trace.CurrentStatus ?? "",
        };
        response.Reviewers.AddRange(trace.Reviewers);
        response.Events.AddRange(trace.Events.Select(e => e.ToContract()));
        return response;
    }

    [Authorize(Roles = Roles.Auditor)]
    public override async Task ExportAuditEvents(ExportAuditEventsRequest request, IServerStreamWriter<ExportAuditEventsResponse> responseStream, ServerCallContext context)
    {
        var violations = new Violations();
        var (from, to) = AuditValidation.Period(request.From, request.To, violations, required: true);
        AuditValidation.EventTypes(request.EventTypes, "event_types", violations);
        violations.ThrowIfAny();

        var filter = new ExportFilter(from!.Value, to!.Value, request.OutletId, request.EventTypes.ToList());
        await foreach (var e in reports.ExportAsync(filter, context.CancellationToken))
        {
            await responseStream.WriteAsync(new ExportAuditEventsResponse { Event = e.ToContract() }, context.CancellationToken);
        }
    }

    [Authorize(Roles = Roles.Auditor)]
    public override async Task<VerifyAuditChainResponse> VerifyAuditChain(VerifyAuditChainRequest request, ServerCallContext context)
    {
        var violations = new Violations();
        if (request.BatchSize is < 0 or > 100_000)
        {
            violations.Add("batch_size", "OUT_OF_RANGE: 0 (default) to 100000");
        }

        violations.ThrowIfAny();
        var result = await reports.VerifyChainAsync(request.BatchSize == 0 ? AuditReports.DefaultVerifyBatchSize : request.BatchSize, context.CancellationToken);
        var response = new VerifyAuditChainResponse
        {
            Intact = result.Intact,
            RowsChecked = result.RowsChecked,
            HeadSeq = result.HeadSeq,
            ElapsedMs = (long)result.Elapsed.TotalMilliseconds,
            CheckpointsChecked = result.CheckpointsChecked,
            LastCheckpointSeq = result.LastCheckpointSeq,
            Partitions = result.Partitions,
            CheckpointSignaturesVerified = result.CheckpointSignaturesVerified,
        };
        if (result.FirstBreak is { } broken)
        {
            response.FirstBreak = new ChainBreak { Seq = broken.Seq, Problem = broken.Problem.ToContract(), Detail = broken.Detail, Partition = broken.Partition };
        }

        return response;
    }

    [Authorize(Roles = Roles.Auditor)]
    public override async Task<ListFraudLinkedRegistrationsResponse> ListFraudLinkedRegistrations(ListFraudLinkedRegistrationsRequest request, ServerCallContext context)
    {
        var violations = new Violations();
        if (string.IsNullOrWhiteSpace(request.OutletId))
        {
            violations.Add("outlet_id", "REQUIRED");
        }

        var (from, to) = AuditValidation.Period(request.From, request.To, violations, required: false);
        violations.ThrowIfAny();

        var found = await reports.FraudLinkedRegistrationsAsync(request.OutletId, from, to, context.CancellationToken);
        var response = new ListFraudLinkedRegistrationsResponse();
        response.Registrations.AddRange(found.Select(r => new FraudLinkedRegistration
        {
            PhoneNumber = r.PhoneNumber,
            Registration = r.Registration.ToContract(),
            FraudReports = r.FraudReports,
            FirstReportedAt = Timestamp.FromDateTimeOffset(r.FirstReportedAt),
            CurrentStatus = r.CurrentStatus ?? "",
        }));
        return response;
    }

    [Authorize(Roles = Roles.RiskOperator)]
    public override async Task<StartReReviewCampaignResponse> StartReReviewCampaign(StartReReviewCampaignRequest request, ServerCallContext context)
    {
        var violations = new Violations();
        if (string.IsNullOrWhiteSpace(request.OutletId) && string.IsNullOrWhiteSpace(request.ClerkId))
        {
            violations.Add("outlet_id", "REQUIRED: an outlet_id or a clerk_id");
        }

        var (from, to) = AuditValidation.Period(request.From, request.To, violations, required: true);
        violations.ThrowIfAny();
#pragma warning disable CS0612 // the deprecated actor field is read only to refuse a mismatch
        var actor = Services.Caller.Acting(context, request.Actor, ReasonCode.ActorNotCaller);
#pragma warning restore CS0612
        if (CallerRights.Of(context).CarrierIds.Count > 0)
        {
            // Campaign targets are chosen across carriers; a carrier-scoped operator would reach other carriers' numbers.
            throw CallerRights.Denied("Campaigns span carriers; they are started by a RISK_OPERATOR not limited to carriers.");
        }

        var definition = new CampaignDefinition(
            string.IsNullOrWhiteSpace(request.OutletId) ? null : request.OutletId,
            string.IsNullOrWhiteSpace(request.ClerkId) ? null : request.ClerkId,
            from!.Value,
            to!.Value,
            actor);
        // The campaign grain selects its own targets from the audit log's read side.
        var campaignId = "cmp-" + Guid.NewGuid().ToString("N");
        var progress = await cluster.GetGrain<ICampaignGrain>(campaignId).Start(definition);
        return new StartReReviewCampaignResponse { Campaign = progress.ToContract() };
    }

    [Authorize(Roles = Roles.CampaignReaders)]
    public override async Task<GetReReviewCampaignResponse> GetReReviewCampaign(GetReReviewCampaignRequest request, ServerCallContext context)
    {
        var violations = new Violations();
        if (!request.CampaignId.StartsWith("cmp-", StringComparison.Ordinal) || request.CampaignId.Length > 64)
        {
            violations.Add("campaign_id", "INVALID_CAMPAIGN_ID: an id returned by StartReReviewCampaign");
        }

        violations.ThrowIfAny();
        var progress = await cluster.GetGrain<ICampaignGrain>(request.CampaignId).GetProgress()
            ?? throw GrpcErrors.Error(ReasonCode.CampaignNotFound, "No campaign has this id.");
        return new GetReReviewCampaignResponse { Campaign = progress.ToContract() };
    }
}

/// <summary>Validation shared by the gRPC service and the report pages.</summary>
public static class AuditValidation
{
    /// <summary>A half-open period; both ends required when <paramref name="required"/>, else each optional.</summary>
    public static (DateTimeOffset? From, DateTimeOffset? To) Period(Timestamp? from, Timestamp? to, Violations violations, bool required)
    {
        if (required && from is null)
        {
            violations.Add("from", "REQUIRED");
        }

        if (required && to is null)
        {
            violations.Add("to", "REQUIRED");
        }

        var f = EvidenceReader.Time(from, "from", violations);
        var t = EvidenceReader.Time(to, "to", violations);
        if (f is { } a && t is { } b && b <= a)
        {
            violations.Add("to", "PERIOD_EMPTY: to must be after from");
        }

        return (f, t);
    }

    public static void EventTypes(IEnumerable<string> types, string field, Violations violations)
    {
        foreach (var type in types)
        {
            if (!AuditEventTypes.All.Contains(type))
            {
                violations.Add(field, $"UNKNOWN_EVENT_TYPE: {type}");
            }
        }
    }
}
