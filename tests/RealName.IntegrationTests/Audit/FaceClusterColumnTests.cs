using System.Net;
using Google.Protobuf.WellKnownTypes;
using RealName.Contracts.V1;
using RealName.IntegrationTests.Infrastructure;
using AuditEvent = RealName.Storage.Reads.AuditEvent;

namespace RealName.IntegrationTests.Audit;

/// <summary>
/// The auditors' report counts, per outlet and per clerk, the registrations later linked to a face cluster and those
/// with a confirmed fraud report; seeded in June 2024 so the other audit tests' figures do not see them.
/// </summary>
[Collection(AuditCollection.Name)]
public sealed class FaceClusterColumnTests(AuditGridFixture grid)
{
    private static readonly TimeSpan Cst = TimeSpan.FromHours(8);
    private static readonly DateTimeOffset From = new(2024, 6, 1, 0, 0, 0, Cst);
    private static readonly DateTimeOffset To = new(2024, 7, 1, 0, 0, 0, Cst);

    [Fact]
    public async Task The_report_counts_registrations_later_linked_to_a_face_cluster_and_confirmed_fraud_per_outlet_and_clerk()
    {
        // FL1/clerk-F1: A (approved, later matched by E's face), B (approved, fraud confirmed), C (pending review, its own face
        // matched D), D (refused: never admitted, so not counted though linked). FL2/clerk-F2: E (approved, matched A).
        const string A = "19800000001", B = "19800000002", C = "19800000003", D = "19800000004", E = "19800000005";
        await grid.Log.AppendBatchAsync(
        [
            Registration(A, "AUD-FL1", "clerk-F1", 2, "APPROVED"),
            Registration(B, "AUD-FL1", "clerk-F1", 3, "APPROVED"),
            Registration(C, "AUD-FL1", "clerk-F1", 4, "PENDING_REVIEW"),
            Registration(D, "AUD-FL1", "clerk-F1", 5, "REFUSED"),
            Registration(E, "AUD-FL2", "clerk-F2", 6, "APPROVED"),
            Event(E, "AUD-FL2", "clerk-F2", 6, "FACE_LINKED") with { PersonalDetails = Links(A, "AUD-FL1") },
            Event(C, "AUD-FL1", "clerk-F1", 7, "FACE_LINKED") with { PersonalDetails = Links(D, "AUD-FL1") },
            Event(B, "AUD-FL1", "clerk-F1", 20, "FRAUD_REPORT_CONFIRMED") with { Reasons = ["RE_REVIEW_OVERDUE"] },
        ]);
        var auditor = new AuditService.AuditServiceClient(grid.Gateway.As(Roles.Auditor));

        var byOutlet = await auditor.GetConsistencyReportAsync(Query(ReportDimension.Outlet));
        var byClerk = await auditor.GetConsistencyReportAsync(Query(ReportDimension.Clerk));

        Assert.Equal(["AUD-FL1 2/1", "AUD-FL2 1/0"], byOutlet.Rows.Select(r => $"{r.DimensionValue} {r.FaceLinkedRegistrations}/{r.FraudConfirmedRegistrations}"));
        Assert.Equal(["clerk-F1 2/1", "clerk-F2 1/0"], byClerk.Rows.Select(r => $"{r.DimensionValue} {r.FaceLinkedRegistrations}/{r.FraudConfirmedRegistrations}"));
        Assert.Equal((3L, 1L), (byOutlet.Total.FaceLinkedRegistrations, byOutlet.Total.FraudConfirmedRegistrations));

        // The report page draws them per outlet and per clerk (red: some also have confirmed fraud), and the CSV has the columns.
        using var http = new HttpClient { BaseAddress = grid.Gateway.WebAddress };
        http.DefaultRequestHeaders.Add("x-api-key", GatewayServer.KeyFor(Roles.Auditor));
        var page = await http.GetStringAsync(new Uri("/reports?from=2024-06-01&to=2024-07-01&bucket=month", UriKind.Relative));
        var csv = await http.GetStringAsync(new Uri("/reports/consistency.csv?from=2024-06-01&to=2024-07-01&bucket=period&dimension=outlet", UriKind.Relative));

        Assert.Contains("<svg id=\"chart-face-linked-outlet\"", page, StringComparison.Ordinal);
        Assert.Contains("<svg id=\"chart-face-linked-clerk\"", page, StringComparison.Ordinal);
        Assert.Contains("fill=\"#d1242f\"><title>AUD-FL1: 2</title>", page, StringComparison.Ordinal);
        Assert.Contains("fill=\"#bc4c00\"><title>clerk-F2: 1</title>", page, StringComparison.Ordinal);
        Assert.EndsWith("fraud_reported_numbers,face_linked_registrations,fraud_confirmed_registrations", csv.Split("\r\n")[0], StringComparison.Ordinal);
        Assert.EndsWith(",2,1", csv.Split("\r\n")[1], StringComparison.Ordinal);
    }

    private static GetConsistencyReportRequest Query(ReportDimension dimension) => new()
    {
        From = Timestamp.FromDateTimeOffset(From),
        To = Timestamp.FromDateTimeOffset(To),
        Bucket = TimeBucket.Period,
        Dimension = dimension,
    };

    private static AuditEvent Registration(string phone, string outlet, string clerk, int day, string decision) =>
        Event(phone, outlet, clerk, day, "REGISTRATION_DECIDED") with
        {
            Decision = decision,
            FaceCompared = true,
            FaceDecision = decision == "REFUSED" ? "NO_MATCH" : "MATCH",
            StatusAfter = decision == "REFUSED" ? null : decision == "APPROVED" ? "ACTIVE" : "PENDING_REVIEW",
        };

    private static AuditEvent Event(string phone, string outlet, string clerk, int day, string type) => new()
    {
        EventId = Guid.NewGuid(),
        OccurredAt = new DateTimeOffset(2024, 6, day, 10, 0, 0, Cst),
        EventType = type,
        PhoneNumber = phone,
        IdentityKey = "ik-" + phone,
        CarrierId = "cmcc",
        ChannelKind = "RETAIL",
        Region = "310000",
        OutletId = outlet,
        ClerkId = clerk,
        DeviceId = "reader-1",
        CardType = "PERSONAL",
        Actor = clerk,
        Caller = "seed",
    };

    private static string Links(string phone, string outlet) =>
        $$"""{"registration":{"masked_document_number":"1101**********0011"},"links":[{"phone_number":"{{phone}}","identity_key":"ik-{{phone}}","carrier_id":"cmcc","outlet_id":"{{outlet}}","clerk_id":"clerk-F1","score":0.61}]}""";
}
