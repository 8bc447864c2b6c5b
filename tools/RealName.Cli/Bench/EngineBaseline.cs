using System.Diagnostics;
using RealName.Cli.Commands;

namespace RealName.Cli.Bench;

/// <summary>The face engine alone, in this process on all cores (as `face bench`), on the photos the faces scenario sends.</summary>
internal static class EngineBaseline
{
    /// <summary>Comparisons per second with every pipeline busy.</summary>
    public static async Task<double> RunAsync(IReadOnlyList<FacePair> pairs, TimeSpan duration, CancellationToken ct)
    {
        using var engine = FaceCommands.CreateDefaultEngine();
        foreach (var pair in pairs)
        {
            await engine.CompareAsync(pair.Portrait.Memory, pair.Live.Memory, ct); // warm-up: a detector per input size
        }

        var done = 0;
        var clock = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, engine.PoolSize), new ParallelOptions { MaxDegreeOfParallelism = engine.PoolSize, CancellationToken = ct },
            async (_, token) =>
            {
                while (clock.Elapsed < duration)
                {
                    var pair = pairs[Interlocked.Increment(ref done) % pairs.Count];
                    await engine.CompareAsync(pair.Portrait.Memory, pair.Live.Memory, token);
                }
            });
        return done / clock.Elapsed.TotalSeconds;
    }
}
