using Grpc.Core;
using RealName.Contracts.V1;
using RealName.IntegrationTests.Callers;
using RealName.IntegrationTests.Infrastructure;

namespace RealName.IntegrationTests.FraudReports;

/// <summary>Closed-loop fraud reports over real gRPC: a report becomes a case that follows its number to an outcome and tells the reporter.</summary>
[Collection(FraudReportCollection.Name)]
public sealed class FraudReportCaseTests(FraudReportGridFixture grid)
{
    private static string RiskCaller => GatewayServer.NameFor(Roles.RiskOperator);

    private static ReportFraudRequest Report(string phone, string reportId, FraudReportSource source = FraudReportSource.PoliceNotice) =>
        new() { PhoneNumber = phone, ReportId = reportId, Source = source, SourceReference = "GA-2026-0042" };

    private Task<FraudReport> Case(string reportId, Func<FraudReport, bool> done, string what) =>
        Eventually.Get(async () => (await grid.Risk.GetFraudReportAsync(new GetFraudReportRequest { ReportId = reportId })).Report, done, FraudReportGridFixture.Patience, what);

    [Fact]
    public async Task A_report_whose_re_review_is_missed_is_suspended_then_cancelled_and_the_reporter_is_told()
    {
        var phone = await grid.RegisteredAsync("FR-MISS-" + Guid.NewGuid().ToString("N")[..6]);
        var reportId = "rep-miss-" + Guid.NewGuid().ToString("N")[..8];

        var filed = await grid.Risk.ReportFraudAsync(Report(phone, reportId));
        var retried = await grid.Risk.ReportFraudAsync(Report(phone, reportId));
        var suspended = await Case(reportId, r => r.Disposition == FraudReportDisposition.Suspended, "the missed re-review seen by the case");
        var closed = await Case(reportId, r => r.Status == FraudReportStatus.Closed, "the cancellation after FraudReports:CancelAfter");
        var number = (await grid.Channel.GetSubscriberAsync(new GetSubscriberRequest { PhoneNumber = phone })).Subscriber;

        Assert.Equal(ReReviewTriggerOutcome.Started, filed.Outcome);
        Assert.Equal(FraudReportDisposition.ReReviewStarted, filed.Report.Disposition);
        Assert.Equal((FraudReportStatus.Open, FraudReportSource.PoliceNotice, "GA-2026-0042", RiskCaller), (filed.Report.Status, filed.Report.Source, filed.Report.SourceReference, filed.Report.ReportedBy));
        Assert.Equal(filed, retried);
        Assert.True(suspended.FraudConfirmed);
        Assert.InRange((suspended.CancelDueAt.ToDateTimeOffset() - suspended.ReportedAt.ToDateTimeOffset()).TotalSeconds, 8.9, 30);
        Assert.Equal((FraudReportOutcome.Cancelled, FraudReportDisposition.Cancelled), (closed.Outcome, closed.Disposition));
        Assert.Contains("cancelled", closed.Feedback, StringComparison.Ordinal);
        Assert.Equal(["REPORTED", "RE_REVIEW_STARTED", "SUSPENDED", "FRAUD_CONFIRMED", "CANCELLED", "CLOSED"], closed.Timeline.Select(s => s.Step));
        Assert.Equal([RiskCaller, RiskCaller, "system", "system", "system", "system"], closed.Timeline.Select(s => s.Actor));
        Assert.True(closed.ClosedAt.ToDateTimeOffset() >= suspended.CancelDueAt.ToDateTimeOffset());
        Assert.Equal(SubscriberStatus.Cancelled, number.Status);
        Assert.Equal("FRAUD_NOT_RE_VERIFIED", Assert.Single(number.History[^1].Reasons));

        // Every step is in the audit log once, with the caller whose request (or the grid's own reminder) made it.
        var steps = await grid.Database.ScalarAsync<string>(
            "SELECT string_agg(event_type || '/' || caller || '/' || coalesce(decision, ''), ' ' ORDER BY seq) FROM audit_events WHERE phone_number = @p AND event_type <> 'REGISTRATION_DECIDED'", ("p", phone));
        Assert.Equal(
            $"FRAUD_REPORTED/{RiskCaller}/ RE_REVIEW_TRIGGERED/{RiskCaller}/ SUSPENDED/system/ FRAUD_REPORT_CONFIRMED/system/ CANCELLED/system/ FRAUD_REPORT_CLOSED/system/CANCELLED",
            steps);
        Assert.Equal("POLICE_NOTICE", await grid.Database.ScalarAsync<string>(
            "SELECT details::jsonb ->> 'source' FROM audit_events WHERE phone_number = @p AND event_type = 'FRAUD_REPORTED'", ("p", phone)));
    }

    [Fact]
    public async Task A_report_whose_holder_re_verifies_closes_as_kept_and_its_outcome_then_stands()
    {
        var phone = await grid.RegisteredAsync("FR-KEPT-" + Guid.NewGuid().ToString("N")[..6]);
        var reportId = "rep-kept-" + Guid.NewGuid().ToString("N")[..8];
        await grid.Risk.ReportFraudAsync(Report(phone, reportId, FraudReportSource.InternalModel));

        var reVerified = await grid.Channel.ReVerifySubscriberAsync(new ReVerifySubscriberRequest
        {
            PhoneNumber = phone, LiveImage = Faces.Image(Faces.CardHolder.OtherLive), Channel = Requests.Retail("SH-099", "clerk-9"), RequestId = Guid.NewGuid().ToString("N"),
        });
        var closed = await Case(reportId, r => r.Status == FraudReportStatus.Closed, "the kept outcome");

        Assert.Equal(SubscriberStatus.Active, reVerified.Subscriber.Status);
        Assert.Equal((FraudReportOutcome.ReVerifiedKept, false), (closed.Outcome, closed.FraudConfirmed));
        Assert.Contains("stays in service", closed.Feedback, StringComparison.Ordinal);
        Assert.Equal(["REPORTED", "RE_REVIEW_STARTED", "CLOSED"], closed.Timeline.Select(s => s.Step));
        await RpcAssert.Refused("FRAUD_REPORT_CLOSED", () => grid.Risk.CloseFraudReportAsync(new CloseFraudReportRequest
        {
            ReportId = reportId, Verdict = FraudReportVerdict.Unfounded, Feedback = "too late",
        }));
        Assert.Equal(0L, await grid.Database.ScalarAsync<long>(
            "SELECT count(*) FROM audit_events WHERE phone_number = @p AND event_type = 'FRAUD_REPORT_CONFIRMED'", ("p", phone)));
    }

    [Fact]
    public async Task A_risk_operator_closes_a_report_as_unfounded_with_feedback_and_a_repeated_close_answers_the_same()
    {
        var phone = await grid.RegisteredAsync("FR-UNF-" + Guid.NewGuid().ToString("N")[..6]);
        var reportId = "rep-unf-" + Guid.NewGuid().ToString("N")[..8];
        await grid.Risk.ReportFraudAsync(Report(phone, reportId, FraudReportSource.UserReport));
        var close = new CloseFraudReportRequest { ReportId = reportId, Verdict = FraudReportVerdict.Unfounded, Feedback = "The caller misdialled; the number belongs to a pharmacy." };

        var closed = await grid.Risk.CloseFraudReportAsync(close);
        var again = await grid.Risk.CloseFraudReportAsync(close);

        Assert.Equal((FraudReportStatus.Closed, FraudReportOutcome.Unfounded, close.Feedback), (closed.Report.Status, closed.Report.Outcome, closed.Report.Feedback));
        Assert.Equal(closed, again);
        Assert.Equal(RiskCaller, closed.Report.Timeline[^1].Actor);
        Assert.Equal($"{RiskCaller}/UNFOUNDED", await grid.Database.ScalarAsync<string>(
            "SELECT caller || '/' || decision FROM audit_events WHERE phone_number = @p AND event_type = 'FRAUD_REPORT_CLOSED'", ("p", phone)));
    }

    [Fact]
    public async Task GetFraudReport_needs_the_risk_role_and_the_numbers_carrier_and_bad_reports_are_refused()
    {
        var phone = await grid.RegisteredAsync("FR-PERM-" + Guid.NewGuid().ToString("N")[..6]);
        var reportId = "rep-perm-" + Guid.NewGuid().ToString("N")[..8];
        await grid.Risk.ReportFraudAsync(Report(phone, reportId));
        var otherCarrier = new RiskService.RiskServiceClient(grid.Gateway.WithKey(
            (await TestCallers.IssueAsync(grid.Gateway, "fr-risk-cu", CallerRole.RiskOperator, ["cu"])).ApiKey));
        var retail = new RiskService.RiskServiceClient(grid.Gateway.As(Roles.RetailTerminal));
        var get = new GetFraudReportRequest { ReportId = reportId };

        await TestCallers.Denied(StatusCode.PermissionDenied, "ROLE_NOT_ALLOWED", () => retail.GetFraudReportAsync(get).ResponseAsync);
        await TestCallers.Denied(StatusCode.PermissionDenied, "CALLER_SCOPE_MISMATCH", () => otherCarrier.GetFraudReportAsync(get).ResponseAsync);
        await TestCallers.Denied(StatusCode.NotFound, "FRAUD_REPORT_NOT_FOUND", () => grid.Risk.GetFraudReportAsync(new GetFraudReportRequest { ReportId = "rep-never-filed" }).ResponseAsync);
        await TestCallers.Denied(StatusCode.NotFound, "FRAUD_REPORT_NOT_FOUND", () => grid.Risk.CloseFraudReportAsync(new CloseFraudReportRequest
        {
            ReportId = "rep-never-filed", Verdict = FraudReportVerdict.FraudConfirmed, Feedback = "x",
        }).ResponseAsync);
        Assert.StartsWith("FIELD_REQUIRED", await RpcAssert.Invalid("source", () => grid.Risk.ReportFraudAsync(Report(phone, "rep-no-source", FraudReportSource.Unspecified))), StringComparison.Ordinal);
        Assert.StartsWith("FIELD_REQUIRED", await RpcAssert.Invalid("feedback", () => grid.Risk.CloseFraudReportAsync(new CloseFraudReportRequest { ReportId = reportId, Verdict = FraudReportVerdict.Unfounded })), StringComparison.Ordinal);
        // A NUL in the id once reached storage and answered UNAVAILABLE; it is malformed input (refused for any string field).
        Assert.StartsWith("CONTROL_CHARACTER", await RpcAssert.Invalid("report_id", () => grid.Risk.GetFraudReportAsync(new GetFraudReportRequest { ReportId = "aaaaaaaa\u0000bbb" })), StringComparison.Ordinal);
        // The same report id for another number is a conflict, not a second case.
        await RpcAssert.Refused("REQUEST_CONFLICT", () => grid.Risk.ReportFraudAsync(Report(Requests.NewPhoneNumber(), reportId)));
        Assert.Equal(phone, (await grid.Risk.GetFraudReportAsync(get)).Report.PhoneNumber);
    }

    /// <summary>
    /// Found by buf curl against a running grid: a retry with another source reference, or the same body from another
    /// caller, answered OK with the first filing's case, so the second reference and caller were recorded nowhere.
    /// </summary>
    [Fact]
    public async Task Regression_a_report_id_reused_with_another_reference_or_by_another_caller_is_a_conflict()
    {
        var phone = await grid.RegisteredAsync("FR-DUP-" + Guid.NewGuid().ToString("N")[..6]);
        var reportId = "rep-dup-" + Guid.NewGuid().ToString("N")[..8];
        var first = await grid.Risk.ReportFraudAsync(Report(phone, reportId));
        var colleague = new RiskService.RiskServiceClient(grid.Gateway.WithKey(
            (await TestCallers.IssueAsync(grid.Gateway, "fr-risk-dup", CallerRole.RiskOperator)).ApiKey));
        var otherReference = Report(phone, reportId);
        otherReference.SourceReference = "A-COMPLETELY-DIFFERENT-REF";

        var retried = await grid.Risk.ReportFraudAsync(Report(phone, reportId));
        await RpcAssert.Refused("REQUEST_CONFLICT", () => grid.Risk.ReportFraudAsync(otherReference));
        await RpcAssert.Refused("REQUEST_CONFLICT", () => colleague.ReportFraudAsync(Report(phone, reportId)));

        Assert.Equal(first.Report, retried.Report);
        Assert.Equal(1L, await grid.Database.ScalarAsync<long>(
            "SELECT count(*) FROM audit_events WHERE phone_number = @p AND event_type = 'FRAUD_REPORTED'", ("p", phone)));
    }

    /// <summary>
    /// Found by buf curl against a running grid: a carrier-scoped operator filed a report on a number not in service
    /// (so of no carrier) and was then denied reading it. Such a report is its filer's; others scoped to a carrier are denied.
    /// </summary>
    [Fact]
    public async Task Regression_a_scoped_operator_reads_its_own_report_on_a_number_not_in_service()
    {
        var reportId = "rep-own-" + Guid.NewGuid().ToString("N")[..8];
        RiskService.RiskServiceClient Scoped(IssueCallerResponse issued) => new(grid.Gateway.WithKey(issued.ApiKey));
        var filer = Scoped(await TestCallers.IssueAsync(grid.Gateway, "fr-risk-own", CallerRole.RiskOperator, ["cu"]));
        var other = Scoped(await TestCallers.IssueAsync(grid.Gateway, "fr-risk-else", CallerRole.RiskOperator, ["cu"]));
        var get = new GetFraudReportRequest { ReportId = reportId };

        var filed = await filer.ReportFraudAsync(Report(Requests.NewPhoneNumber(), reportId, FraudReportSource.UserReport));
        var read = await filer.GetFraudReportAsync(get);
        await TestCallers.Denied(StatusCode.PermissionDenied, "CALLER_SCOPE_MISMATCH", () => other.GetFraudReportAsync(get).ResponseAsync);

        Assert.Equal(FraudReportOutcome.NumberNotInService, filed.Report.Outcome);
        Assert.Equal(filed.Report, read.Report);
        Assert.Equal(reportId, (await grid.Risk.GetFraudReportAsync(get)).Report.ReportId);
    }

    [Fact]
    public async Task A_report_on_a_number_not_in_service_closes_at_once()
    {
        var reportId = "rep-none-" + Guid.NewGuid().ToString("N")[..8];

        var filed = await grid.Risk.ReportFraudAsync(Report(Requests.NewPhoneNumber(), reportId, FraudReportSource.UserReport));

        Assert.Equal(ReReviewTriggerOutcome.NotActive, filed.Outcome);
        Assert.Equal((FraudReportStatus.Closed, FraudReportOutcome.NumberNotInService, FraudReportDisposition.None), (filed.Report.Status, filed.Report.Outcome, filed.Report.Disposition));
    }
}
