using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using RealName.Contracts.V1;
using RealName.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace RealName.IntegrationTests.Callers;

/// <summary>
/// Every RPC of every service, called with no credentials, a revoked key, each role, and callers out of
/// scope (another carrier, another outlet, another channel kind): the status and reason of each cell.
/// Cells that pass authorization may answer with a business error (NOT_FOUND, FAILED_PRECONDITION…)
/// but never UNAUTHENTICATED or PERMISSION_DENIED.
/// </summary>
[Collection(GridCollection.Name)]
public sealed class AuthorizationMatrixTests(GridFixture grid, ITestOutputHelper output)
{
    private const string Carrier = "cmcc";
    private const string Outlet = "MX-001";

    /// <summary>A well-formed restriction id no restriction has.</summary>
    private static readonly string NoRestriction = new string('0', 64) + ":" + new string('0', 16);

    /// <summary>How a request's facts are checked against the caller's scope.</summary>
    private enum ScopeCheck
    {
        /// <summary>Only the role matters.</summary>
        None,

        /// <summary>The number's carrier (reads).</summary>
        Carrier,

        /// <summary>The channel facts: carrier, outlet, channel kind.</summary>
        Channel,
    }

    private enum OutOfScope
    {
        No,
        OtherCarrier,
        OtherOutlet,
        OtherKind,
    }

    private sealed record Column(string Label, CallInvoker Invoker, string? Role, ChannelContext Channel, OutOfScope OutOfScope = OutOfScope.No, string? Unauthenticated = null);

    private sealed record Rpc(string Name, string[] Roles, ScopeCheck Scope, Func<CallInvoker, ChannelContext, Task> Call);

    [Fact]
    public async Task Every_rpc_answers_each_caller_with_the_expected_status_and_reason()
    {
        var gateway = grid.Gateway;
        var retail = TestCallers.Channel(ChannelKind.Retail, Carrier, Outlet);
        var online = TestCallers.Channel(ChannelKind.Online, Carrier, Outlet, device: "phone-1");
        async Task<CallInvoker> Issued(string prefix, CallerRole role, string[]? carriers = null, string[]? outlets = null) =>
            gateway.WithKey((await TestCallers.IssueAsync(gateway, prefix, role, carriers, outlets)).ApiKey);

        var revoked = await TestCallers.IssueAsync(gateway, "mx-revoked", CallerRole.RetailTerminal, [Carrier], [Outlet]);
        await TestCallers.Admin(gateway).RevokeCallerAsync(new RevokeCallerRequest { Name = revoked.Caller.Name });
        Column[] columns =
        [
            new("no credentials", gateway.Channel.CreateCallInvoker(), null, retail, Unauthenticated: "CREDENTIAL_REQUIRED"),
            new("revoked key", gateway.WithKey(revoked.ApiKey), null, retail, Unauthenticated: "CREDENTIAL_REJECTED"),
            new("RETAIL_TERMINAL", await Issued("mx-retail", CallerRole.RetailTerminal, [Carrier], [Outlet]), Roles.RetailTerminal, retail),
            new("ONLINE_SALES", await Issued("mx-online", CallerRole.OnlineSales, [Carrier], [Outlet]), Roles.OnlineSales, online),
            new("REVIEWER", await Issued("mx-reviewer", CallerRole.Reviewer, [Carrier]), Roles.Reviewer, retail),
            new("RISK_OPERATOR", await Issued("mx-risk", CallerRole.RiskOperator), Roles.RiskOperator, retail),
            new("AUDITOR", await Issued("mx-auditor", CallerRole.Auditor), Roles.Auditor, retail),
            new("ADMIN", await Issued("mx-admin", CallerRole.Admin), Roles.Admin, retail),
            new("other carrier", await Issued("mx-cu", CallerRole.RetailTerminal, ["cu"], [Outlet]), Roles.RetailTerminal, retail, OutOfScope.OtherCarrier),
            new("other outlet", await Issued("mx-outlet", CallerRole.RetailTerminal, [Carrier], ["MX-999"]), Roles.RetailTerminal, retail, OutOfScope.OtherOutlet),
            new("other channel kind", await Issued("mx-kind", CallerRole.OnlineSales, [Carrier], [Outlet]), Roles.OnlineSales, retail, OutOfScope.OtherKind),
        ];

        // One number opened at the matrix outlet, and its holder, for the calls that need them.
        var identity = Requests.NewResidentId();
        var phone = Requests.NewPhoneNumber();
        var register = Requests.Register(phone, identity);
        register.Channel = retail;
        await new RegistrationService.RegistrationServiceClient(columns[2].Invoker).RegisterSubscriberAsync(register);
        var rpcs = Rpcs(phone, identity);

        var tried = 0;
        var failures = new List<string>();
        foreach (var rpc in rpcs)
        {
            foreach (var column in columns)
            {
                tried++;
                var expected = Expected(rpc, column);
                var (status, reason) = await TestCallers.Outcome(() => rpc.Call(column.Invoker, column.Channel));
                var passed = expected is { } e
                    ? status == e.Status && reason == e.Reason
                    : status is not (StatusCode.Unauthenticated or StatusCode.PermissionDenied);
                if (!passed)
                {
                    failures.Add($"{rpc.Name} as {column.Label}: got {status}/{reason}, expected {(expected is { } x ? $"{x.Status}/{x.Reason}" : "not denied")}");
                }
            }
        }

        output.WriteLine($"authorization matrix: {rpcs.Count} RPCs x {columns.Length} callers = {tried} cells tried, {tried - failures.Count} cells passed");
        Assert.True(failures.Count == 0, string.Join('\n', failures));
        Assert.Equal(33 * 11, tried);
    }

    /// <summary>The denial a cell must get, or null when it must pass authorization.</summary>
    private static (StatusCode Status, string Reason)? Expected(Rpc rpc, Column column)
    {
        if (column.Unauthenticated is { } reason)
        {
            return (StatusCode.Unauthenticated, reason);
        }

        if (!rpc.Roles.Contains(column.Role))
        {
            return (StatusCode.PermissionDenied, "ROLE_NOT_ALLOWED");
        }

        var outside = (rpc.Scope, column.OutOfScope) switch
        {
            (_, OutOfScope.No) => false,
            (ScopeCheck.Channel, _) => true,
            (ScopeCheck.Carrier, OutOfScope.OtherCarrier) => true,
            _ => false,
        };
        return outside ? (StatusCode.PermissionDenied, "CALLER_SCOPE_MISMATCH") : null;
    }

    private static List<Rpc> Rpcs(string phone, string identity)
    {
        string[] sales = [Roles.RetailTerminal, Roles.OnlineSales];
        string[] auditors = [Roles.Auditor];
        var from = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow.AddDays(-1));
        var to = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow.AddDays(1));
        HolderProof Proof(ChannelContext channel) => Requests.Proof(identity, Faces.CardHolder.OtherLive, channel);
        static RegistrationService.RegistrationServiceClient Registration(CallInvoker i) => new(i);
        static SelfServiceService.SelfServiceServiceClient SelfService(CallInvoker i) => new(i);
        static ReviewService.ReviewServiceClient Review(CallInvoker i) => new(i);
        static RiskService.RiskServiceClient Risk(CallInvoker i) => new(i);
        static AuditService.AuditServiceClient Audit(CallInvoker i) => new(i);
        static AdminService.AdminServiceClient Admin(CallInvoker i) => new(i);
        return
        [
            new("RegisterSubscriber", sales, ScopeCheck.Channel, (i, c) =>
            {
                var request = Requests.Register(Requests.NewPhoneNumber());
                request.Channel = c;
                return Registration(i).RegisterSubscriberAsync(request).ResponseAsync;
            }),
            new("GetSubscriber", sales, ScopeCheck.Carrier, (i, _) => Registration(i).GetSubscriberAsync(new GetSubscriberRequest { PhoneNumber = phone }).ResponseAsync),
            new("ReVerifySubscriber", sales, ScopeCheck.Channel, (i, c) => Registration(i).ReVerifySubscriberAsync(new ReVerifySubscriberRequest
            {
                PhoneNumber = phone, LiveImage = Faces.Image(Faces.CardHolder.OtherLive), Channel = c, RequestId = Guid.NewGuid().ToString("N"),
            }).ResponseAsync),
            new("ListNumbers", sales, ScopeCheck.Channel, (i, c) => SelfService(i).ListNumbersAsync(new ListNumbersRequest { Proof = Proof(c) }).ResponseAsync),
            new("DisputeNumber", sales, ScopeCheck.Channel, (i, c) => SelfService(i).DisputeNumberAsync(new DisputeNumberRequest
            {
                PhoneNumber = Requests.NewPhoneNumber(), DisputeId = Guid.NewGuid().ToString("N"), Proof = Proof(c),
            }).ResponseAsync),
            // Last of the sales calls: the first caller allowed cancels the number.
            new("CancelSubscriber", sales, ScopeCheck.Channel, (i, c) => Registration(i).CancelSubscriberAsync(new CancelSubscriberRequest { PhoneNumber = phone, Proof = Proof(c) }).ResponseAsync),
            new("ListPendingReviews", [Roles.Reviewer], ScopeCheck.None, (i, _) => Review(i).ListPendingReviewsAsync(new ListPendingReviewsRequest()).ResponseAsync),
            new("DecideReview", [Roles.Reviewer], ScopeCheck.None, (i, _) => Review(i).DecideReviewAsync(new DecideReviewRequest { CaseId = "no-such-case", Approve = true, Reason = "OK" }).ResponseAsync),
            new("ReportFraud", [Roles.RiskOperator], ScopeCheck.None, (i, _) => Risk(i).ReportFraudAsync(new ReportFraudRequest { PhoneNumber = Requests.NewPhoneNumber(), ReportId = Guid.NewGuid().ToString("N"), Source = FraudReportSource.UserReport }).ResponseAsync),
            new("TriggerReReview", [Roles.RiskOperator], ScopeCheck.None, (i, _) => Risk(i).TriggerReReviewAsync(new TriggerReReviewRequest { PhoneNumber = Requests.NewPhoneNumber(), Trigger = ReReviewTrigger.RiskAlert }).ResponseAsync),
            new("ApproveIotQuota", [Roles.RiskOperator], ScopeCheck.None, (i, _) => Risk(i).ApproveIotQuotaAsync(new ApproveIotQuotaRequest
            {
                Enterprise = new Enterprise { CreditCode = Enterprises.NewCreditCode(), Name = "矩阵科技" }, Quota = 10, AssessmentReference = "RA-1",
            }).ResponseAsync),
            new("ListFaceClusters", [Roles.RiskOperator], ScopeCheck.None, (i, _) => Risk(i).ListFaceClustersAsync(new ListFaceClustersRequest()).ResponseAsync),
            new("GetFraudReport", [Roles.RiskOperator], ScopeCheck.None, (i, _) => Risk(i).GetFraudReportAsync(new GetFraudReportRequest { ReportId = "mx-no-such-report" }).ResponseAsync),
            new("CloseFraudReport", [Roles.RiskOperator], ScopeCheck.None, (i, _) => Risk(i).CloseFraudReportAsync(new CloseFraudReportRequest
            {
                ReportId = "mx-no-such-report", Verdict = FraudReportVerdict.Unfounded, Feedback = "matrix",
            }).ResponseAsync),
            new("SuspendOutlet", [Roles.RiskOperator], ScopeCheck.None, (i, _) => Risk(i).SuspendOutletAsync(new SuspendOutletRequest
            {
                OutletId = "MX-SUSPEND-" + Guid.NewGuid().ToString("N")[..6], Reason = "matrix",
            }).ResponseAsync),
            new("ReinstateOutlet", [Roles.RiskOperator], ScopeCheck.None, (i, _) => Risk(i).ReinstateOutletAsync(new ReinstateOutletRequest { OutletId = "MX-NEVER-SUSPENDED", Reason = "matrix" }).ResponseAsync),
            new("ListSuspendedOutlets", [Roles.RiskOperator], ScopeCheck.None, (i, _) => Risk(i).ListSuspendedOutletsAsync(new ListSuspendedOutletsRequest()).ResponseAsync),
            new("GetConsistencyReport", auditors, ScopeCheck.None, (i, _) => Audit(i).GetConsistencyReportAsync(new GetConsistencyReportRequest { From = from, To = to, Bucket = TimeBucket.Day }).ResponseAsync),
            new("TraceNumber", auditors, ScopeCheck.None, (i, _) => Audit(i).TraceNumberAsync(new TraceNumberRequest { PhoneNumber = phone }).ResponseAsync),
            new("ExportAuditEvents", auditors, ScopeCheck.None, (i, _) => Drain(Audit(i).ExportAuditEvents(new ExportAuditEventsRequest { From = from, To = to, OutletId = Outlet }))),
            new("VerifyAuditChain", auditors, ScopeCheck.None, (i, _) => Audit(i).VerifyAuditChainAsync(new VerifyAuditChainRequest()).ResponseAsync),
            new("ListFraudLinkedRegistrations", auditors, ScopeCheck.None, (i, _) => Audit(i).ListFraudLinkedRegistrationsAsync(new ListFraudLinkedRegistrationsRequest { OutletId = Outlet }).ResponseAsync),
            new("StartReReviewCampaign", [Roles.RiskOperator], ScopeCheck.None, (i, _) => Audit(i).StartReReviewCampaignAsync(new StartReReviewCampaignRequest
            {
                ClerkId = "nobody-" + Guid.NewGuid().ToString("N")[..6], From = from, To = to,
            }).ResponseAsync),
            new("GetReReviewCampaign", [Roles.Auditor, Roles.RiskOperator], ScopeCheck.None, (i, _) => Audit(i).GetReReviewCampaignAsync(new GetReReviewCampaignRequest { CampaignId = "cmp-none" }).ResponseAsync),
            new("IssueCaller", [Roles.Admin], ScopeCheck.None, (i, _) => Admin(i).IssueCallerAsync(new IssueCallerRequest { Name = "mx-new-" + Guid.NewGuid().ToString("N")[..8], Role = CallerRole.Auditor }).ResponseAsync),
            new("ListCallers", [Roles.Admin], ScopeCheck.None, (i, _) => Admin(i).ListCallersAsync(new ListCallersRequest()).ResponseAsync),
            new("RevokeCaller", [Roles.Admin], ScopeCheck.None, (i, _) => Admin(i).RevokeCallerAsync(new RevokeCallerRequest { Name = "mx-nobody" }).ResponseAsync),
            new("AttachCallerCertificate", [Roles.Admin], ScopeCheck.None, (i, _) => Admin(i).AttachCallerCertificateAsync(new AttachCallerCertificateRequest
            {
                Name = "mx-nobody", ThumbprintSha256 = new string('A', 64),
            }).ResponseAsync),
            new("RestrictIdentity", [Roles.RiskOperator], ScopeCheck.None, (i, _) => Risk(i).RestrictIdentityAsync(new RestrictIdentityRequest
            {
                Document = new DocumentReference { Type = DocumentType.ResidentId, Number = Requests.NewResidentId() },
                Reason = "matrix", AuthorityReference = "MX-1", EndsAt = to, RequestId = Guid.NewGuid().ToString("N"),
            }).ResponseAsync),
            new("LiftRestriction", [Roles.RiskOperator], ScopeCheck.None, (i, _) => Risk(i).LiftRestrictionAsync(new LiftRestrictionRequest
            {
                RestrictionId = NoRestriction, Reason = "matrix", RequestId = Guid.NewGuid().ToString("N"),
            }).ResponseAsync),
            new("FileRestrictionAppeal", [Roles.RiskOperator], ScopeCheck.None, (i, _) => Risk(i).FileRestrictionAppealAsync(new FileRestrictionAppealRequest
            {
                RestrictionId = NoRestriction, Statement = "matrix", ReceivedVia = "MX-letter-1", RequestId = Guid.NewGuid().ToString("N"),
            }).ResponseAsync),
            new("DecideRestrictionAppeal", [Roles.RiskOperator], ScopeCheck.None, (i, _) => Risk(i).DecideRestrictionAppealAsync(new DecideRestrictionAppealRequest
            {
                AppealId = NoRestriction + "/" + new string('0', 12), Decision = AppealDecision.Uphold, Reason = "matrix", RequestId = Guid.NewGuid().ToString("N"),
            }).ResponseAsync),
            new("ListRestrictions", [Roles.RiskOperator], ScopeCheck.None, (i, _) => Risk(i).ListRestrictionsAsync(new ListRestrictionsRequest()).ResponseAsync),
        ];
    }

    private static async Task Drain(AsyncServerStreamingCall<ExportAuditEventsResponse> call)
    {
        using (call)
        {
            await foreach (var unused in call.ResponseStream.ReadAllAsync())
            {
                _ = unused;
            }
        }
    }
}
