using System.Net;
using System.Text;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using RealName.Contracts.V1;
using RealName.IntegrationTests.Infrastructure;

namespace RealName.IntegrationTests.Audit;

/// <summary>Only auditors reach AuditService and the report pages; CSV exports are RFC 4180 and match the gRPC figures.</summary>
[Collection(AuditCollection.Name)]
public sealed class AuditAccessTests(AuditGridFixture grid)
{
    public static TheoryData<string> OtherRoles => [Roles.RetailTerminal, Roles.Reviewer, Roles.RiskOperator];

    [Theory]
    [MemberData(nameof(OtherRoles))]
    public async Task Audit_rpcs_are_PERMISSION_DENIED_for_other_roles(string role)
    {
        var client = new AuditService.AuditServiceClient(grid.Gateway.As(role));
        var period = (From: Timestamp.FromDateTimeOffset(SeededHistory.From), To: Timestamp.FromDateTimeOffset(SeededHistory.To));

        Task[] calls =
        [
            client.GetConsistencyReportAsync(new GetConsistencyReportRequest { From = period.From, To = period.To, Bucket = TimeBucket.Month }).ResponseAsync,
            client.TraceNumberAsync(new TraceNumberRequest { PhoneNumber = grid.History.P1 }).ResponseAsync,
            client.VerifyAuditChainAsync(new VerifyAuditChainRequest()).ResponseAsync,
            client.ListFraudLinkedRegistrationsAsync(new ListFraudLinkedRegistrationsRequest { OutletId = SeededHistory.Outlet1 }).ResponseAsync,
            // Campaigns are started by risk operators and read by them and auditors: the authorization-matrix test covers them.
            Drain(client.ExportAuditEvents(new ExportAuditEventsRequest { From = period.From, To = period.To })),
        ];
        foreach (var call in calls)
        {
            var error = await Assert.ThrowsAsync<RpcException>(() => call);
            Assert.Equal(StatusCode.PermissionDenied, error.StatusCode);
        }
    }

    [Fact]
    public async Task Audit_rpcs_without_a_key_are_UNAUTHENTICATED()
    {
        var client = new AuditService.AuditServiceClient(grid.Gateway.Channel);
        var error = await Assert.ThrowsAsync<RpcException>(() => client.VerifyAuditChainAsync(new VerifyAuditChainRequest()).ResponseAsync);
        Assert.Equal(StatusCode.Unauthenticated, error.StatusCode);
    }

    [Fact]
    public async Task Audit_csv_needs_an_auditor_key_and_matches_the_report()
    {
        using var http = new HttpClient { BaseAddress = grid.Gateway.WebAddress };
        const string url = "/reports/consistency.csv?from=2025-03-01&to=2025-05-01&bucket=month&dimension=outlet";

        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync(new Uri(url, UriKind.Relative))).StatusCode);
        using (var channel = new HttpRequestMessage(HttpMethod.Get, url))
        {
            channel.Headers.Add("x-api-key", GatewayServer.KeyFor(Roles.RetailTerminal));
            Assert.Equal(HttpStatusCode.Forbidden, (await http.SendAsync(channel)).StatusCode);
        }

        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Add("x-api-key", GatewayServer.KeyFor(Roles.Auditor));
        using var response = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        var rows = ParseCsv(await response.Content.ReadAsStringAsync());
        var header = rows[0];
        Assert.Equal(5, rows.Count);
        var marchO1 = rows[1].Select((v, i) => (header[i], v)).ToDictionary(p => p.Item1, p => p.v);
        Assert.Equal("2025-03-01T00:00:00+08:00", marchO1["bucket_start"]);
        Assert.Equal("AUD-O1", marchO1["dimension_value"]);
        Assert.Equal("5", marchO1["registrations"]);
        Assert.Equal("4", marchO1["face_compared"]);
        Assert.Equal("0.5", marchO1["consistency_rate"]);
        Assert.Equal("FACE_MISMATCH=1;NO_FACE=1", marchO1["refusals_by_reason"]);
        Assert.Equal("1", marchO1["re_reviews_overdue"]);
        Assert.Equal("1", marchO1["fraud_reported_numbers"]);
    }

    [Fact]
    public async Task Audit_events_csv_quotes_commas_and_quotes_and_the_cookie_login_works()
    {
        var cookies = new CookieContainer();
        using var handler = new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false };
        using var http = new HttpClient(handler) { BaseAddress = grid.Gateway.WebAddress };

        var login = await http.GetStringAsync(new Uri("/reports", UriKind.Relative));
        Assert.Contains("id=\"login\"", login, StringComparison.Ordinal);

        using (var wrong = new FormUrlEncodedContent([new("key", GatewayServer.KeyFor(Roles.RetailTerminal))]))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await http.PostAsync(new Uri("/reports/login", UriKind.Relative), wrong)).StatusCode);
        }

        using (var right = new FormUrlEncodedContent([new("key", GatewayServer.KeyFor(Roles.Auditor))]))
        {
            var signedIn = await http.PostAsync(new Uri("/reports/login", UriKind.Relative), right);
            Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        }

        var page = await http.GetStringAsync(new Uri("/reports?from=2025-03-01&to=2025-05-01&bucket=month", UriKind.Relative));
        Assert.Contains("<svg id=\"chart-rate-time\"", page, StringComparison.Ordinal);

        var csv = await http.GetStringAsync(new Uri($"/reports/events.csv?from=2025-03-06&to=2025-03-07&outlet={SeededHistory.Outlet2}", UriKind.Relative));
        var rows = ParseCsv(csv);
        var detailsColumn = Array.IndexOf(rows[0], "details");
        var review = rows.Single(r => r[3] == "REVIEW_DECIDED");
        var expected = grid.History.Events.Single(e => e.PhoneNumber == grid.History.P7 && e.EventType == "REVIEW_DECIDED").Details;
        Assert.Equal(expected, review[detailsColumn]);
        Assert.Contains(",", expected, StringComparison.Ordinal);
        Assert.Equal(2, rows.Count - 1);

        var trace = ParseCsv(await http.GetStringAsync(new Uri($"/reports/trace.csv?phone={grid.History.P1}", UriKind.Relative)));
        Assert.Equal(7, trace.Count);
        var fraud = ParseCsv(await http.GetStringAsync(new Uri($"/reports/fraud.csv?outlet={SeededHistory.Outlet1}", UriKind.Relative)));
        Assert.Equal(grid.History.P1, fraud[1][Array.IndexOf(fraud[0], "phone_number")]);
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

    /// <summary>A strict RFC 4180 reader: quoted fields may hold commas, doubled quotes and line breaks.</summary>
    private static List<string[]> ParseCsv(string text)
    {
        var rows = new List<string[]>();
        var row = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    field.Append(c);
                }
            }
            else if (c == '"')
            {
                Assert.Equal(0, field.Length);
                quoted = true;
            }
            else if (c == ',')
            {
                row.Add(field.ToString());
                field.Clear();
            }
            else if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
            {
                row.Add(field.ToString());
                field.Clear();
                rows.Add([.. row]);
                row.Clear();
                i++;
            }
            else
            {
                Assert.NotEqual('\n', c);
                field.Append(c);
            }
        }

        Assert.Empty(row);
        Assert.Equal(0, field.Length);
        return rows;
    }
}
