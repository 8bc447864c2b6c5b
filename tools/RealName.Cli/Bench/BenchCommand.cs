using System.CommandLine;
using System.Diagnostics;
using RealName.Cli.Commands;

namespace RealName.Cli.Bench;

/// <summary>
/// `realname bench`: N simulated terminals drive a running grid over gRPC (one scenario, one or a sweep of
/// concurrency levels), with the face engine alone and pgbench as baselines measured in the same run.
/// </summary>
internal static class BenchCommand
{
    private static readonly Option<string> Scenario = new("--scenario") { Description = "faces, policy, rereview, lookup, report or mixed", DefaultValueFactory = _ => "faces" };
    private static readonly Option<string> Concurrency = new("--concurrency") { Description = "Calls in flight, or a sweep such as 1,2,4,8", DefaultValueFactory = _ => "8" };
    private static readonly Option<int?> Requests = new("--requests") { Description = "Requests per level (instead of --duration)" };
    private static readonly Option<TimeSpan?> Duration = new("--duration") { Description = "Time per level, e.g. 00:00:30 (default 10 s)" };
    private static readonly Option<bool> Baselines = new("--baselines") { Description = "First measure the face engine alone and pgbench at the same concurrency" };
    private static readonly Option<TimeSpan> BaselineDuration = new("--baseline-duration") { Description = "Time of each baseline measurement", DefaultValueFactory = _ => TimeSpan.FromSeconds(10) };
    private static readonly Option<int> PairedRounds = new("--paired-rounds") { Description = "Faces, with --baselines: after the sweep, this many rounds of the engine alone then the grid at the peak's calls in flight, back to back" };
    private static readonly Option<TimeSpan> Warmup = new("--warmup") { Description = "Run the scenario untimed this long before measuring, e.g. 00:01:00 for a grid just started (default: none)", DefaultValueFactory = _ => TimeSpan.Zero };
    private static readonly Option<string?> Connection = new("--connection") { Description = "Owner connection string for pgbench (default: REALNAME_OWNER_CONNECTION_STRING, else scripts/postgres.sh connection-string)" };
    private static readonly Option<int> Enterprises = new("--enterprises") { Description = "Enterprises the policy scenario spreads its IoT cards over", DefaultValueFactory = _ => 64 };
    private static readonly Option<string?> RiskKey = new("--risk-key") { Description = "RISK_OPERATOR key (default: from the secrets file)" };
    private static readonly Option<string?> AuditorKey = new("--auditor-key") { Description = "AUDITOR key (default: from the secrets file)" };
    private static readonly Option<string?> Secrets = new("--secrets") { Description = "Secrets file of a local grid (default: $REALNAME_DATA/secrets.env, else data/secrets.env)" };
    private static readonly Option<string?> Markdown = new("--markdown") { Description = "Write the markdown table here" };
    private static readonly Option<string?> Plot = new("--plot") { Description = "Write a PNG of throughput and latency against calls in flight here" };
    private static readonly Option<bool> Json = new("--json") { Description = "Print one JSON object (no progress display)" };

    public static Command Create()
    {
        var command = new Command("bench", "Benchmark a running grid over gRPC: throughput and latency per scenario, against the face engine and pgbench")
        {
            GridCommands.AddressOption, GridCommands.KeyOption, RiskKey, AuditorKey, Secrets, Scenario, Concurrency, Requests, Duration,
            Baselines, BaselineDuration, PairedRounds, Warmup, Connection, Enterprises, Markdown, Plot, Json,
        };
        command.SetAction(async (r, ct) =>
        {
            var settings = Parse(r);
            var report = await BenchRun.RunAsync(settings, r.GetValue(Json), ct);
            if (r.GetValue(Markdown) is { } markdown)
            {
                await File.WriteAllTextAsync(markdown, report.ToMarkdown(), ct);
            }

            if (r.GetValue(Plot) is { } plot && report.Levels.Count > 0)
            {
                report.WritePlot(plot);
            }

            Console.WriteLine(r.GetValue(Json) ? report.ToJson() : report.ToMarkdown());
            return report.Errors == 0 ? 0 : 1;
        });
        return command;
    }

    internal static BenchSettings Parse(ParseResult r)
    {
        var baselines = r.GetValue(Baselines);
        return new BenchSettings(
            r.GetValue(GridCommands.AddressOption)!,
            BenchSettings.ParseScenario(r.GetValue(Scenario)!),
            BenchSettings.ParseConcurrency(r.GetValue(Concurrency)!),
            BenchSettings.ParseLimit(r.GetValue(Requests), r.GetValue(Duration)),
            baselines,
            r.GetValue(BaselineDuration),
            Math.Max(1, r.GetValue(Enterprises)),
            BenchKeys.Resolve(r.GetValue(GridCommands.KeyOption), r.GetValue(RiskKey), r.GetValue(AuditorKey), r.GetValue(Secrets)),
            baselines ? r.GetValue(Connection) ?? OwnerConnection() : null)
        {
            Warmup = r.GetValue(Warmup) >= TimeSpan.Zero ? r.GetValue(Warmup) : throw new ArgumentException("--warmup: not negative"),
            PairedRounds = BenchSettings.CheckPairedRounds(r.GetValue(PairedRounds), baselines, r.GetValue(Requests)),
        };
    }

    /// <summary>REALNAME_OWNER_CONNECTION_STRING, else what scripts/postgres.sh prints (run from the repo).</summary>
    private static string? OwnerConnection()
    {
        if (Environment.GetEnvironmentVariable("REALNAME_OWNER_CONNECTION_STRING") is { Length: > 0 } configured)
        {
            return configured;
        }

        if (!File.Exists("scripts/postgres.sh"))
        {
            return null;
        }

        using var script = Process.Start(new ProcessStartInfo("scripts/postgres.sh", "connection-string") { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var output = script.StandardOutput.ReadToEnd().Trim();
        script.WaitForExit();
        return script.ExitCode == 0 && output.Length > 0 ? output : null;
    }
}
