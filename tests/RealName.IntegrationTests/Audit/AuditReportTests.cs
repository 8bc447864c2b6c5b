using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using RealName.Contracts.V1;
using static RealName.IntegrationTests.Audit.SeededHistory;

namespace RealName.IntegrationTests.Audit;

/// <summary>AuditService over the seeded history (SeededHistory): every figure of the report, traces, exports, drill-down.</summary>
[Collection(AuditCollection.Name)]
public sealed class AuditReportTests(AuditGridFixture grid)
{
    private AuditService.AuditServiceClient Auditor => new(grid.Gateway.As(Roles.Auditor));

    private SeededHistory H => grid.History;

    private static GetConsistencyReportRequest Report(TimeBucket bucket, ReportDimension dimension) => new()
    {
        From = Timestamp.FromDateTimeOffset(From),
        To = Timestamp.FromDateTimeOffset(To),
        Bucket = bucket,
        Dimension = dimension,
    };

    [Fact]
    public async Task Audit_month_by_outlet_report_has_every_figure_of_the_seeded_history()
    {
        var report = await Auditor.GetConsistencyReportAsync(Report(TimeBucket.Month, ReportDimension.Outlet));

        Assert.Equal(["2025-03/AUD-O1", "2025-03/AUD-O2", "2025-04/AUD-O1", "2025-04/AUD-O2"], report.Rows.Select(r => $"{r.BucketLabel}/{r.DimensionValue}"));
        Assert.Equal(Timestamp.FromDateTimeOffset(From), report.Rows[0].BucketStart);
        Assert.Equal(Timestamp.FromDateTimeOffset(new DateTimeOffset(2025, 4, 1, 0, 0, 0, Cst)), report.Rows[2].BucketStart);

        var marchO1 = report.Rows[0];
        AssertRow(marchO1, registrations: 5, approved: 2, compared: 4, matched: 2, manual: 1, reviewApproved: 1, reviewRejected: 0, refusals: 2,
            triggered: 2, passed: 1, failed: 1, overdue: 1, suspensions: 2, restorations: 1, fraud: 1);
        Assert.Equal(0.5, marchO1.ConsistencyRate, 9);
        Assert.Equal(new Dictionary<string, long> { ["FACE_MISMATCH"] = 1, ["NO_FACE"] = 1 }, new Dictionary<string, long>(marchO1.RefusalsByReason));

        var marchO2 = report.Rows[1];
        AssertRow(marchO2, registrations: 3, approved: 1, compared: 3, matched: 1, manual: 1, reviewApproved: 0, reviewRejected: 1, refusals: 1,
            triggered: 0, passed: 0, failed: 0, overdue: 0, suspensions: 0, restorations: 0, fraud: 0);
        Assert.Equal(1.0 / 3, marchO2.ConsistencyRate, 9);
        Assert.Equal(new Dictionary<string, long> { ["FACE_MISMATCH"] = 1, ["IDENTITY_LIMIT_EXCEEDED"] = 1 }, new Dictionary<string, long>(marchO2.RefusalsByReason));

        var aprilO1 = report.Rows[2];
        AssertRow(aprilO1, registrations: 1, approved: 1, compared: 1, matched: 1, manual: 0, reviewApproved: 0, reviewRejected: 0, refusals: 0,
            triggered: 0, passed: 0, failed: 0, overdue: 0, suspensions: 0, restorations: 0, fraud: 1);
        Assert.Equal(1.0, aprilO1.ConsistencyRate, 9);
        Assert.Empty(aprilO1.RefusalsByReason);

        var aprilO2 = report.Rows[3];
        AssertRow(aprilO2, registrations: 1, approved: 1, compared: 1, matched: 1, manual: 0, reviewApproved: 0, reviewRejected: 0, refusals: 0,
            triggered: 0, passed: 0, failed: 0, overdue: 0, suspensions: 0, restorations: 0, fraud: 1);

        // Totals: the fraud figure counts distinct numbers over the whole period (P1 in both months, P6 twice).
        AssertRow(report.Total, registrations: 10, approved: 5, compared: 9, matched: 5, manual: 2, reviewApproved: 1, reviewRejected: 1, refusals: 3,
            triggered: 2, passed: 1, failed: 1, overdue: 1, suspensions: 2, restorations: 1, fraud: 2);
        Assert.Equal(5.0 / 9, report.Total.ConsistencyRate, 9);
        Assert.Equal(new Dictionary<string, long> { ["FACE_MISMATCH"] = 2, ["IDENTITY_LIMIT_EXCEEDED"] = 1, ["NO_FACE"] = 1 }, new Dictionary<string, long>(report.Total.RefusalsByReason));
    }

    [Fact]
    public async Task Audit_buckets_are_calendar_days_weeks_and_months_in_UTC_plus_8()
    {
        var days = await Auditor.GetConsistencyReportAsync(Report(TimeBucket.Day, ReportDimension.None));
        var first = days.Rows[0];
        Assert.Equal("2025-03-01", first.BucketLabel);            // 00:30 UTC+8 on 1 March, still 28 February in UTC
        Assert.Equal(1, first.Registrations);
        Assert.Equal("2025-04-30", days.Rows[^1].BucketLabel);     // 23:59 UTC+8 on 30 April
        Assert.Equal(1, days.Rows[^1].Registrations);
        Assert.DoesNotContain(days.Rows, r => r.BucketLabel is "2025-02-28" or "2025-05-01");

        var weeks = await Auditor.GetConsistencyReportAsync(Report(TimeBucket.Week, ReportDimension.None));
        Assert.Equal("2025-W09", weeks.Rows[0].BucketLabel);       // Saturday 1 March 2025 is in ISO week 9 (from Monday 24 February)
        Assert.Equal(Timestamp.FromDateTimeOffset(new DateTimeOffset(2025, 2, 24, 0, 0, 0, Cst)), weeks.Rows[0].BucketStart);
        Assert.Equal(10, weeks.Rows.Sum(r => r.Registrations));

        var months = await Auditor.GetConsistencyReportAsync(Report(TimeBucket.Month, ReportDimension.None));
        Assert.Equal(["2025-03", "2025-04"], months.Rows.Select(r => r.BucketLabel));
        AssertRow(months.Rows[0], registrations: 8, approved: 3, compared: 7, matched: 3, manual: 2, reviewApproved: 1, reviewRejected: 1, refusals: 3,
            triggered: 2, passed: 1, failed: 1, overdue: 1, suspensions: 2, restorations: 1, fraud: 1);
        AssertRow(months.Rows[1], registrations: 2, approved: 2, compared: 2, matched: 2, manual: 0, reviewApproved: 0, reviewRejected: 0, refusals: 0,
            triggered: 0, passed: 0, failed: 0, overdue: 0, suspensions: 0, restorations: 0, fraud: 2);

        var period = await Auditor.GetConsistencyReportAsync(Report(TimeBucket.Period, ReportDimension.None));
        Assert.Equal(10, Assert.Single(period.Rows).Registrations);
    }

    [Fact]
    public async Task Audit_every_dimension_groups_by_the_registration_facts()
    {
        async Task<Dictionary<string, long>> Registrations(ReportDimension dimension) =>
            (await Auditor.GetConsistencyReportAsync(Report(TimeBucket.Period, dimension))).Rows.ToDictionary(r => r.DimensionValue, r => r.Registrations);

        Assert.Equal(new Dictionary<string, long> { ["RETAIL"] = 6, ["ONLINE"] = 4 }, await Registrations(ReportDimension.ChannelKind));
        Assert.Equal(new Dictionary<string, long> { ["cmcc"] = 6, ["mvno-x"] = 4 }, await Registrations(ReportDimension.Carrier));
        Assert.Equal(new Dictionary<string, long> { ["310000"] = 6, ["440300"] = 4 }, await Registrations(ReportDimension.Region));
        Assert.Equal(new Dictionary<string, long> { ["clerk-C1"] = 6, ["clerk-C2"] = 4 }, await Registrations(ReportDimension.Clerk));
        Assert.Equal(new Dictionary<string, long> { ["PERSONAL"] = 6, ["IOT"] = 4 }, await Registrations(ReportDimension.CardType));
        Assert.Equal(new Dictionary<string, long> { [""] = 10 }, await Registrations(ReportDimension.None));

        // Later events charge the registering outlet even though someone else acted.
        var byClerk = await Auditor.GetConsistencyReportAsync(Report(TimeBucket.Period, ReportDimension.Clerk));
        Assert.Equal(2, byClerk.Rows.Single(r => r.DimensionValue == "clerk-C1").Suspensions);
    }

    [Fact]
    public async Task Audit_report_rejects_bad_periods_and_missing_bucket_with_field_violations()
    {
        var request = Report(TimeBucket.Unspecified, ReportDimension.Outlet);
        request.To = request.From;

        var error = await Assert.ThrowsAsync<RpcException>(() => Auditor.GetConsistencyReportAsync(request).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        var fields = error.GetRpcStatus()!.GetDetail<BadRequest>().FieldViolations.Select(v => v.Field).ToHashSet();
        Assert.Equal(new HashSet<string> { "to", "bucket" }, fields);

        var noPeriod = await Assert.ThrowsAsync<RpcException>(() => Auditor.GetConsistencyReportAsync(new GetConsistencyReportRequest { Bucket = TimeBucket.Month }).ResponseAsync);
        Assert.Equal(new HashSet<string> { "from", "to" }, noPeriod.GetRpcStatus()!.GetDetail<BadRequest>().FieldViolations.Select(v => v.Field).ToHashSet());
    }

    [Fact]
    public async Task Audit_trace_number_returns_the_whole_chain_of_a_number_in_order()
    {
        var trace = await Auditor.TraceNumberAsync(new TraceNumberRequest { PhoneNumber = H.P1 });

        Assert.Equal(
            ["REGISTRATION_DECIDED", "FRAUD_REPORTED", "RE_REVIEW_TRIGGERED", "RE_REVIEW_DECIDED", "SUSPENDED", "FRAUD_REPORTED"],
            trace.Events.Select(e => e.EventType));
        Assert.True(trace.Events.Zip(trace.Events.Skip(1)).All(p => p.First.Seq < p.Second.Seq));
        Assert.All(trace.Events, e => Assert.Matches("^[0-9a-f]{64}$", e.Hash));
        Assert.All(trace.Events, e => Assert.Matches("^[0-9a-f]{64}$", e.PrevHash));
        Assert.Equal("SUSPENDED", trace.CurrentStatus);
        Assert.Equal(Outlet1, trace.Registration.OutletId);
        Assert.Equal("clerk-C1", trace.Registration.ClerkId);
        Assert.Equal("reader-1", trace.Registration.DeviceId);
        Assert.Equal("RETAIL", trace.Registration.ChannelKind);
        Assert.Equal(0.91, trace.Registration.FaceScore);
        Assert.Equal("test-model-1", trace.Registration.ModelVersion);
        Assert.Equal("risk-7", trace.Events[1].Actor);

        var reviewed = await Auditor.TraceNumberAsync(new TraceNumberRequest { PhoneNumber = H.P3 });
        Assert.Equal(["reviewer-9"], reviewed.Reviewers);
        Assert.Equal("ACTIVE", reviewed.CurrentStatus);

        var unknown = await Auditor.TraceNumberAsync(new TraceNumberRequest { PhoneNumber = "19911112222" });
        Assert.Empty(unknown.Events);
        Assert.Null(unknown.Registration);

        var invalid = await Assert.ThrowsAsync<RpcException>(() => Auditor.TraceNumberAsync(new TraceNumberRequest { PhoneNumber = "123" }).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, invalid.StatusCode);
    }

    [Fact]
    public async Task Audit_export_streams_the_events_that_match_period_outlet_and_type()
    {
        var all = await Export(new ExportAuditEventsRequest { From = Timestamp.FromDateTimeOffset(From), To = Timestamp.FromDateTimeOffset(new DateTimeOffset(2025, 4, 1, 0, 0, 0, Cst)), OutletId = Outlet2 });
        Assert.Equal([H.P6, H.P7, H.P7, H.P8], all.Select(e => e.PhoneNumber));
        Assert.True(all.Zip(all.Skip(1)).All(p => p.First.Seq < p.Second.Seq));

        var registrations = await Export(new ExportAuditEventsRequest
        {
            From = Timestamp.FromDateTimeOffset(From),
            To = Timestamp.FromDateTimeOffset(To),
            OutletId = Outlet1,
            EventTypes = { "FRAUD_REPORTED" },
        });
        Assert.Equal([H.P1, H.P1], registrations.Select(e => e.PhoneNumber));

        var unknownType = await Assert.ThrowsAsync<RpcException>(() => Export(new ExportAuditEventsRequest
        {
            From = Timestamp.FromDateTimeOffset(From),
            To = Timestamp.FromDateTimeOffset(To),
            EventTypes = { "NOT_A_TYPE" },
        }));
        Assert.Equal(StatusCode.InvalidArgument, unknownType.StatusCode);
    }

    [Fact]
    public async Task Audit_outlet_drill_down_lists_its_registrations_later_reported_as_fraud()
    {
        var o1 = await Auditor.ListFraudLinkedRegistrationsAsync(new ListFraudLinkedRegistrationsRequest { OutletId = Outlet1 });
        var p1 = Assert.Single(o1.Registrations);
        Assert.Equal(H.P1, p1.PhoneNumber);
        Assert.Equal(2, p1.FraudReports);
        Assert.Equal(Timestamp.FromDateTimeOffset(At(3, 20)), p1.FirstReportedAt);
        Assert.Equal("SUSPENDED", p1.CurrentStatus);
        Assert.Equal("clerk-C1", p1.Registration.ClerkId);
        Assert.Equal("REGISTRATION_DECIDED", p1.Registration.EventType);

        var o2 = await Auditor.ListFraudLinkedRegistrationsAsync(new ListFraudLinkedRegistrationsRequest { OutletId = Outlet2 });
        Assert.Equal([H.P6], o2.Registrations.Select(r => r.PhoneNumber));
        Assert.Equal(2, o2.Registrations[0].FraudReports);

        var april = await Auditor.ListFraudLinkedRegistrationsAsync(new ListFraudLinkedRegistrationsRequest
        {
            OutletId = Outlet1,
            From = Timestamp.FromDateTimeOffset(new DateTimeOffset(2025, 4, 1, 0, 0, 0, Cst)),
        });
        Assert.Empty(april.Registrations);   // P1 was registered in March
    }

    private async Task<List<AuditEventRecord>> Export(ExportAuditEventsRequest request)
    {
        using var call = Auditor.ExportAuditEvents(request);
        var result = new List<AuditEventRecord>();
        await foreach (var item in call.ResponseStream.ReadAllAsync())
        {
            result.Add(item.Event);
        }

        return result;
    }

    private static void AssertRow(
        ReportRow row, long registrations, long approved, long compared, long matched, long manual, long reviewApproved, long reviewRejected,
        long refusals, long triggered, long passed, long failed, long overdue, long suspensions, long restorations, long fraud)
    {
        var label = row.BucketLabel + "/" + row.DimensionValue;
        Assert.Equal(
            (registrations, approved, compared, matched, manual, reviewApproved, reviewRejected, refusals, triggered, passed, failed, overdue, suspensions, restorations, fraud),
            (row.Registrations, row.RegistrationsApproved, row.FaceCompared, row.FaceMatched, row.ManualReviews, row.ReviewsApproved, row.ReviewsRejected,
             row.Refusals, row.ReReviewsTriggered, row.ReReviewsPassed, row.ReReviewsFailed, row.ReReviewsOverdue, row.Suspensions, row.Restorations,
             row.FraudReportedNumbers));
        Assert.False(string.IsNullOrEmpty(label));
    }
}
