using System.Text.Json;
using RealName.Cli.Bench;
using RealName.IntegrationTests.Infrastructure;

namespace RealName.IntegrationTests.Operations;

/// <summary>`realname bench`: its command line, its JSON, and short real runs against a test grid over gRPC.</summary>
[Collection(GridCollection.Name)]
public sealed class BenchToolTests(GridFixture grid)
{
    [Fact]
    public void The_command_line_gives_a_sweep_a_scenario_and_a_limit_and_refuses_what_it_cannot_run()
    {
        var settings = BenchCommand.Parse(BenchCommand.Create().Parse(
            ["--concurrency", "1, 2,4,8", "--scenario", "ReReview", "--requests", "50", "--key", "k", "--risk-key", "r", "--auditor-key", "a"]));
        Assert.Equal([1, 2, 4, 8], settings.Concurrency);
        Assert.Equal(ScenarioKind.ReReview, settings.Scenario);
        Assert.Equal(50, settings.Limit.Requests);
        Assert.Equal(new BenchKeys("k", "r", "a"), settings.Keys);
        Assert.Null(settings.OwnerConnection);

        Assert.Equal(TimeSpan.FromSeconds(10), BenchSettings.ParseLimit(null, null).Duration);
        Assert.Contains("--concurrency", Assert.Throws<ArgumentException>(() => BenchSettings.ParseConcurrency("4,0")).Message);
        Assert.Contains("--concurrency", Assert.Throws<ArgumentException>(() => BenchSettings.ParseConcurrency("eight")).Message);
        Assert.Contains("policy", Assert.Throws<ArgumentException>(() => BenchSettings.ParseScenario("register")).Message);
        Assert.Contains("--requests and --duration", Assert.Throws<ArgumentException>(() => BenchSettings.ParseLimit(5, TimeSpan.FromSeconds(1))).Message);

        Assert.Equal(0, settings.PairedRounds);
        Assert.Equal(6, BenchSettings.CheckPairedRounds(6, baselines: true, requests: null));
        Assert.Contains("--baselines", Assert.Throws<ArgumentException>(() => BenchSettings.CheckPairedRounds(6, baselines: false, requests: null)).Message);
        Assert.Contains("--duration", Assert.Throws<ArgumentException>(() => BenchSettings.CheckPairedRounds(6, baselines: true, requests: 50)).Message);
        Assert.Contains("between 0 and 100", Assert.Throws<ArgumentException>(() => BenchSettings.CheckPairedRounds(-1, baselines: true, requests: null)).Message);
    }

    [Fact]
    public void Keys_not_given_come_from_the_local_grids_secrets_file_by_role()
    {
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllLines(file,
            [
                "Identity__HmacKey=x", "Auth__Bootstrap__0__Name=local-admin", "Auth__Bootstrap__0__Role=ADMIN", "Auth__Bootstrap__0__Key=rn_admin",
                "Auth__Bootstrap__1__Role=RETAIL_TERMINAL", "Auth__Bootstrap__1__Key=rn_retail=", "Auth__Bootstrap__1__CarrierIds__0=cmcc",
                "Auth__Bootstrap__4__Role=RISK_OPERATOR", "Auth__Bootstrap__4__Key=rn_risk",
            ]);
            Assert.Equal(new BenchKeys("given", "rn_risk", null), BenchKeys.Resolve("given", null, null, file));
            Assert.Equal("rn_retail=", BenchKeys.ReadSecrets(file)["RETAIL_TERMINAL"]);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void The_json_has_the_figures_and_with_baselines_their_ratios()
    {
        var histogram = new HdrHistogram.LongHistogram(System.Diagnostics.Stopwatch.Frequency * 10, 3);
        histogram.RecordValue(System.Diagnostics.Stopwatch.Frequency / 100); // 10 ms
        var level = BenchLevel.From(4, null, 2, histogram, new Dictionary<string, int> { ["Active"] = 20 }, new Dictionary<string, int> { ["Unavailable/-"] = 1 })
            with { PgbenchTps = 100 };
        var report = new BenchReport("faces", 7, 2, "1.00 1.00 1.00", [level], null, 20) { EngineSamples = [19, 21] };
        var json = JsonDocument.Parse(report.ToJson()).RootElement;

        Assert.Equal("faces", json.GetProperty("scenario").GetString());
        Assert.Equal(10, json.GetProperty("throughput_per_s").GetDouble());
        Assert.Equal(10, json.GetProperty("p50_ms").GetDouble(), 1);
        Assert.Equal(10, json.GetProperty("p99_ms").GetDouble(), 1);
        Assert.Equal(1, json.GetProperty("errors").GetInt64());
        Assert.Equal(1, json.GetProperty("errors_by_reason").GetProperty("Unavailable/-").GetInt32());
        Assert.Equal(20, json.GetProperty("engine_per_s").GetDouble());
        Assert.Equal([19.0, 21.0], json.GetProperty("engine_per_s_before_and_after").EnumerateArray().Select(e => e.GetDouble()));
        Assert.Contains("face engine alone 20.0 comparisons/s (mean of 19.0 before the sweep and 21.0 after)", report.ToMarkdown(), StringComparison.Ordinal);
        Assert.Equal(100, json.GetProperty("pgbench_tps").GetDouble());
        Assert.Equal(0.5, json.GetProperty("throughput_over_engine").GetDouble());
        Assert.Equal(0.1, json.GetProperty("throughput_over_pgbench").GetDouble());

        // Paired rounds: each round's ratio, and their median (one round met a burst of the machine's speed).
        var paired = JsonDocument.Parse((report with { Paired = [new(20, 18), new(16, 15), new(30, 15)] }).ToJson()).RootElement;
        Assert.Equal([0.9, 0.938, 0.5], paired.GetProperty("paired_rounds").EnumerateArray().Select(r => r.GetProperty("ratio").GetDouble()));
        Assert.Equal(0.9, paired.GetProperty("paired_ratio_median").GetDouble());
        Assert.Equal(0.919, PairedRound.MedianRatio([new(20, 18), new(16, 15)]));
        Assert.Contains("Median 0.90 of the engine alone", (report with { Paired = [new(20, 18), new(16, 15), new(30, 15)] }).ToMarkdown(), StringComparison.Ordinal);
        Assert.False(json.TryGetProperty("paired_rounds", out _));

        var withoutBaselines = JsonDocument.Parse(new BenchReport("policy", 7, 2, "", [level with { PgbenchTps = null }], null, null).ToJson()).RootElement;
        Assert.False(withoutBaselines.TryGetProperty("engine_per_s", out _));
        Assert.False(withoutBaselines.TryGetProperty("engine_per_s_before_and_after", out _));
        Assert.False(withoutBaselines.TryGetProperty("pgbench_tps", out _));
    }

    [Fact]
    public async Task A_policy_sweep_counts_every_registration_then_offers_80_percent_of_its_peak()
    {
        var report = await BenchRun.RunAsync(Settings(grid.Gateway, ScenarioKind.Policy, [1, 2], requests: 12) with { Warmup = TimeSpan.FromSeconds(1) }, quiet: true, CancellationToken.None);

        // The warm-up's registrations are not counted in any level.
        Assert.Equal(1, report.WarmupSeconds);
        Assert.Equal([1, 2], report.Levels.Select(l => l.Concurrency));
        Assert.All(report.Levels, l => Assert.Equal(new Dictionary<string, int> { ["Active"] = 12 }, l.Outcomes));
        Assert.All(report.Levels, l => Assert.True(l.ThroughputPerSecond > 0 && l.P50 > 0 && l.P99 >= l.P50, $"{l}"));
        var paced = Assert.IsType<BenchLevel>(report.AtEightyPercent);
        Assert.Equal(12, paced.Answered);
        Assert.Equal(Math.Round(report.ThroughputPerSecond * 0.8, 1), paced.OfferedPerSecond);
        Assert.Equal(0, report.Errors);

        var json = JsonDocument.Parse(report.ToJson()).RootElement;
        Assert.Equal("policy", json.GetProperty("scenario").GetString());
        Assert.Equal(36, json.GetProperty("requests").GetInt64());
        foreach (var field in new[] { "throughput_per_s", "p50_ms", "p99_ms", "errors", "p99_over_p50_at_80pct" })
        {
            Assert.True(json.TryGetProperty(field, out _), field);
        }
    }

    [Fact]
    public async Task Refused_calls_are_counted_as_errors_by_status_and_reason()
    {
        await using var gateway = await GatewayServer.StartAsync(grid.Database, grid.Silo.ClusterId, new Dictionary<string, string?>
        {
            ["RateLimits:PermitsPerSecond"] = "1",
            ["RateLimits:Burst"] = "2",
        });

        var report = await BenchRun.RunAsync(Settings(gateway, ScenarioKind.Report, [3], requests: 10), quiet: true, CancellationToken.None);

        var level = Assert.Single(report.Levels);
        Assert.Equal(10, level.Requests);
        Assert.InRange(level.Answered, 1, 9);
        Assert.Equal(10 - level.Answered, report.ErrorsByReason["ResourceExhausted/RATE_LIMITED"]);
        Assert.Equal(level.Errors, report.Errors);
    }

    private static BenchSettings Settings(GatewayServer gateway, ScenarioKind scenario, int[] concurrency, int requests) => new(
        gateway.GrpcAddress.ToString(), scenario, concurrency, new BenchLimit(requests, TimeSpan.Zero), Baselines: false, TimeSpan.Zero, Enterprises: 4,
        new BenchKeys(GatewayServer.KeyFor(Roles.RetailTerminal), GatewayServer.KeyFor(Roles.RiskOperator), GatewayServer.KeyFor(Roles.Auditor)), OwnerConnection: null);
}
