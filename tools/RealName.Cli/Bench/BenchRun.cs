using Grpc.Core;
using Grpc.Net.Client;
using RealName.Contracts.V1;

namespace RealName.Cli.Bench;

/// <summary>One run: baselines (when asked), the scenario's set-up, the concurrency sweep, then the paced 80 % level.</summary>
internal static class BenchRun
{
    /// <summary>Share of the peak throughput offered in the paced level after a sweep.</summary>
    private const double PacedShare = 0.8;

    public static async Task<BenchReport> RunAsync(BenchSettings settings, bool quiet, CancellationToken ct)
    {
        var run = await NewRunNumberAsync(settings, ct);
        using var channel = GrpcChannel.ForAddress(settings.Address, new GrpcChannelOptions { HttpHandler = new SocketsHttpHandler { EnableMultipleHttp2Connections = true } });
        var clients = new BenchClients(channel, settings.Keys);
        var scenario = BenchScenario.Create(settings.Scenario, clients, run, settings.Enterprises);
        var skip = settings.Limit.Requests == 0;

        // The photos the engine-alone baselines compare, read once for every baseline of the run.
        var enginePairs = new Lazy<IReadOnlyList<FacePair>>(() => BenchPhotos.Load().Registration);
        var engine = new List<double>();
        IReadOnlyDictionary<int, double>? pgbench = null;
        if (settings.Baselines && !skip)
        {
            engine.Add(await EngineBaseline.RunAsync(enginePairs.Value, settings.BaselineDuration, ct));
            pgbench = await PgbenchBaseline.RunAsync(
                settings.OwnerConnection ?? throw new InvalidOperationException("--baselines needs the owner connection string (--connection)"),
                settings.Concurrency, settings.BaselineDuration, run, ct);
        }

        var next = -1;
        int NextIndex() => Interlocked.Increment(ref next);
        var levels = new List<BenchLevel>();
        var paired = new List<PairedRound>();
        BenchLevel? paced = null;
        await CliProgress.RunAsync(quiet, async progress =>
        {
            if (!skip)
            {
                await scenario.SetUpAsync(settings.Concurrency.Max(), ct);
            }

            if (!skip && settings.Warmup > TimeSpan.Zero)
            {
                // Untimed: only what follows is measured.
                var bar = progress.Bar($"{scenario.Name}, warming up for {settings.Warmup.TotalSeconds:0} s");
                _ = await BenchRunner.RunLevelAsync(scenario, settings.Concurrency.Max(), new BenchLimit(null, settings.Warmup), null, NextIndex, bar, ct);
            }

            foreach (var concurrency in settings.Concurrency)
            {
                var bar = progress.Bar($"{scenario.Name}, {concurrency} in flight");
                var level = await BenchRunner.RunLevelAsync(scenario, concurrency, settings.Limit, null, NextIndex, bar, ct);
                levels.Add(pgbench is not null && pgbench.TryGetValue(concurrency, out var tps) ? level with { PgbenchTps = tps } : level);
            }

            var peak = levels.MaxBy(l => l.ThroughputPerSecond);
            if (settings.Concurrency.Count > 1 && peak is { ThroughputPerSecond: > 0 })
            {
                // Enough terminals that the offered rate, not the terminals, sets the pace.
                var terminals = Math.Max(settings.Concurrency.Max() * 2, 4);
                var rate = peak.ThroughputPerSecond * PacedShare;
                var bar = progress.Bar($"{scenario.Name}, {rate:0.0}/s offered (80 % of peak)");
                paced = await BenchRunner.RunLevelAsync(scenario, terminals, settings.Limit, rate, NextIndex, bar, ct);
            }

            if (settings.PairedRounds > 0 && scenario.Name == "faces" && peak is not null)
            {
                for (var round = 1; round <= settings.PairedRounds; round++)
                {
                    var engineAlone = await EngineBaseline.RunAsync(enginePairs.Value, settings.BaselineDuration, ct);
                    var bar = progress.Bar($"{scenario.Name}, paired round {round} of {settings.PairedRounds}, {peak.Concurrency} in flight (engine alone: {engineAlone:0.0}/s)");
                    var grid = await BenchRunner.RunLevelAsync(scenario, peak.Concurrency, settings.Limit, null, NextIndex, bar, ct);
                    paired.Add(new PairedRound(Math.Round(engineAlone, 2), grid.ThroughputPerSecond));
                }
            }
        });

        if (engine.Count > 0 && scenario.Name == "faces")
        {
            // The ratio to the engine is the faces goal: measured again after the sweep, so drift in the cores' speed
            // during the run moves both sides of it.
            engine.Add(await EngineBaseline.RunAsync(enginePairs.Value, settings.BaselineDuration, ct));
        }

        return new BenchReport(scenario.Name, run, Environment.ProcessorCount, BenchReport.ReadLoadAverage(), levels, paced, engine.Count > 0 ? Math.Round(engine.Average(), 2) : null)
        {
            EngineSamples = engine.Count > 1 ? [.. engine.Select(e => Math.Round(e, 2))] : null,
            WarmupSeconds = settings.Warmup > TimeSpan.Zero && !skip ? settings.Warmup.TotalSeconds : null,
            Paired = paired.Count > 0 ? paired : null,
        };
    }

    /// <summary>A run number whose first number is still free, so a run never meets an earlier run's numbers.</summary>
    private static async Task<int> NewRunNumberAsync(BenchSettings settings, CancellationToken ct)
    {
        var run = Random.Shared.Next(BenchRequests.Runs);
        if (settings.Limit.Requests == 0 || settings.Keys.Terminal is null)
        {
            return run;
        }

        using var channel = GrpcChannel.ForAddress(settings.Address);
        var terminal = new BenchClients(channel, settings.Keys).Terminal;
        for (var attempt = 0; attempt < 20; attempt++, run = Random.Shared.Next(BenchRequests.Runs))
        {
            try
            {
                await terminal.GetSubscriberAsync(new GetSubscriberRequest { PhoneNumber = BenchRequests.PhoneNumber(run, 0) }, cancellationToken: ct);
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.NotFound)
            {
                return run;
            }
        }

        return run;
    }
}
