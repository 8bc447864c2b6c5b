using System.Collections.Concurrent;
using System.Diagnostics;
using Grpc.Core;
using HdrHistogram;

namespace RealName.Cli.Bench;

/// <summary>How long one load level runs: a request count, else a duration.</summary>
internal sealed record BenchLimit(int? Requests, TimeSpan Duration)
{
    public bool Done(long issued, TimeSpan elapsed) => Requests is { } n ? issued > n : elapsed >= Duration;
}

/// <summary>
/// Drives one scenario with N simulated terminals (closed loop: each sends its next request when the last one is
/// answered) or, with a rate, paced: request i is due at start + i/rate and its latency counts from when it was due,
/// so a slow answer cannot hide the queue behind it.
/// </summary>
internal static class BenchRunner
{
    /// <summary>Latencies up to an hour, 3 significant digits.</summary>
    private static readonly long HighestTicks = Stopwatch.Frequency * 3600;

    public static async Task<BenchLevel> RunLevelAsync(
        BenchScenario scenario, int concurrency, BenchLimit limit, double? ratePerSecond, Func<int> nextIndex, Action<int, int> progress, CancellationToken ct)
    {
        var errors = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
        var outcomes = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
        var histograms = Enumerable.Range(0, concurrency).Select(_ => new LongHistogram(HighestTicks, 3)).ToArray();
        long issued = 0;
        var finished = 0;
        var clock = Stopwatch.StartNew();
        var start = Stopwatch.GetTimestamp();
        var ticksPerRequest = ratePerSecond is { } rate ? Stopwatch.Frequency / rate : 0;
        using var ticker = new Timer(_ => Report(), null, TimeSpan.Zero, TimeSpan.FromMilliseconds(250));

        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(worker => Task.Run(async () =>
        {
            for (var n = Interlocked.Increment(ref issued); !limit.Done(n, clock.Elapsed); n = Interlocked.Increment(ref issued))
            {
                var index = nextIndex();
                string? failure = null;
                long sent = 0;
                try
                {
                    await scenario.PrepareAsync(worker, index, ct);
                    sent = Stopwatch.GetTimestamp();
                    if (ratePerSecond is not null)
                    {
                        var due = start + (long)((n - 1) * ticksPerRequest);
                        if (due > sent)
                        {
                            await Task.Delay(Stopwatch.GetElapsedTime(sent, due), ct);
                        }

                        sent = due;
                    }

                    var outcome = await scenario.SendAsync(worker, index, ct);
                    outcomes.AddOrUpdate(outcome, 1, (_, c) => c + 1);
                }
                catch (RpcException e)
                {
                    failure = ErrorKey(e);
                }
                catch (InvalidOperationException e) when (!ct.IsCancellationRequested)
                {
                    failure = "CLIENT/" + e.Message;
                }

                if (sent != 0)
                {
                    // Clamped: a delay may end a tick before the due time of a paced request.
                    histograms[worker].RecordValue(Math.Clamp(Stopwatch.GetTimestamp() - sent, 0, HighestTicks));
                }

                if (failure is not null)
                {
                    errors.AddOrUpdate(failure, 1, (_, c) => c + 1);
                }

                Interlocked.Increment(ref finished);
            }
        }, ct)));

        var seconds = clock.Elapsed.TotalSeconds;
        Report();
        var all = new LongHistogram(HighestTicks, 3);
        foreach (var h in histograms)
        {
            all.Add(h);
        }

        return BenchLevel.From(concurrency, ratePerSecond, seconds, all, outcomes, errors);

        void Report()
        {
            if (limit.Requests is { } total)
            {
                progress(Volatile.Read(ref finished), total);
            }
            else
            {
                progress((int)Math.Min(clock.Elapsed.TotalMilliseconds, limit.Duration.TotalMilliseconds), (int)limit.Duration.TotalMilliseconds);
            }
        }
    }

    /// <summary>STATUS/REASON (the ErrorInfo reason the gateway attaches), or STATUS alone.</summary>
    internal static string ErrorKey(RpcException e) =>
        e.StatusCode + "/" + (e.GetRpcStatus()?.GetDetail<Google.Rpc.ErrorInfo>()?.Reason ?? "-");

    /// <summary>Milliseconds of a histogram value (Stopwatch ticks).</summary>
    internal static double Ms(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;
}
