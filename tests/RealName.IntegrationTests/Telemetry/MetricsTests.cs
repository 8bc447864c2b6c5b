using System.Globalization;
using System.Text.RegularExpressions;
using Grpc.Core;
using RealName.Contracts.V1;
using RealName.IntegrationTests.Infrastructure;

namespace RealName.IntegrationTests.Telemetry;

/// <summary>A grid whose silo process serves its metrics to Prometheus on a port of its own.</summary>
public sealed class MetricsGridFixture : GridFixture
{
    public int SiloMetricsPort { get; } = FreePort.Next();

    protected override IReadOnlyDictionary<string, string> SiloSettings => new Dictionary<string, string>(base.SiloSettings)
    {
        ["Telemetry:SiloMetricsUrl"] = $"http://127.0.0.1:{SiloMetricsPort}/",
    };
}

/// <summary>The Prometheus scrape endpoints: the gateway's /metrics on its web port and the silo's own listener.</summary>
public sealed partial class MetricsTests(MetricsGridFixture grid) : IClassFixture<MetricsGridFixture>
{
    private static readonly HttpClient Http = new();

    [Fact]
    public async Task Registering_a_number_shows_in_the_gateway_and_silo_metrics()
    {
        var client = new RegistrationService.RegistrationServiceClient(grid.Gateway.As(Roles.RetailTerminal));
        await client.RegisterSubscriberAsync(Requests.Register(Requests.NewPhoneNumber()));
        var refused = Requests.Register(Requests.NewPhoneNumber(), "310104198001011230");   // wrong check digit
        await Assert.ThrowsAsync<RpcException>(() => client.RegisterSubscriberAsync(refused).ResponseAsync);

        // The gateway: refusals by reason and status, ASP.NET Core's request metrics; no credential needed to scrape.
        var gateway = await ScrapeAsync(new Uri(grid.Gateway.WebAddress, "/metrics"), text => Value(text, "realname_refusals_total", "reason=\"INVALID_CHECK_DIGIT\"") >= 1);
        Assert.True(Value(gateway, "realname_refusals_total", "status=\"InvalidArgument\"") >= 1, gateway);
        Assert.Contains("http_server_request_duration_seconds_bucket", gateway, StringComparison.Ordinal);

        // The silo: the decision by channel kind, face comparison latency and queue depth, audit appends, Orleans' own meter.
        var silo = await ScrapeAsync(new Uri($"http://127.0.0.1:{grid.SiloMetricsPort}/metrics"),
            text => Value(text, "realname_registrations_total", "decision=\"APPROVED\"", "channel_kind=\"RETAIL\"") >= 1);
        Assert.True(Value(silo, "realname_face_comparison_duration_seconds_count", "decision=\"MATCH\"") >= 1, silo);
        Assert.True(Value(silo, "realname_audit_append_duration_seconds_count", "result=\"appended\"") >= 1, silo);
        Assert.Contains("realname_face_queue_depth", silo, StringComparison.Ordinal);
        Assert.Contains("orleans_", silo, StringComparison.Ordinal);
    }

    /// <summary>Scrapes until <paramref name="ready"/> holds (the exporters cache a scrape for a moment).</summary>
    private static async Task<string> ScrapeAsync(Uri url, Func<string, bool> ready) =>
        await Eventually.Get(() => Http.GetStringAsync(url), ready, TimeSpan.FromSeconds(20), $"metrics at {url}");

    /// <summary>The sum of a metric's samples whose labels contain every one of <paramref name="labels"/>.</summary>
    private static double Value(string exposition, string name, params string[] labels) =>
        exposition.Split('\n')
            .Select(line => Sample().Match(line))
            .Where(m => m.Success && m.Groups["name"].Value == name && labels.All(l => m.Groups["labels"].Value.Contains(l, StringComparison.Ordinal)))
            .Sum(m => double.Parse(m.Groups["value"].Value, CultureInfo.InvariantCulture));

    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>[^}]*)\})? (?<value>[-+0-9.eE]+|NaN)")]
    private static partial Regex Sample();
}
