using System.Text.Json.Serialization;
using HdrHistogram;

namespace RealName.Cli.Bench;

/// <summary>The figures of one load level: throughput counts answered requests (errors apart), latency all of them.</summary>
internal sealed record BenchLevel(
    [property: JsonPropertyName("concurrency")] int Concurrency,
    [property: JsonPropertyName("offered_per_s")] double? OfferedPerSecond,
    [property: JsonPropertyName("requests")] long Requests,
    [property: JsonPropertyName("answered")] long Answered,
    [property: JsonPropertyName("errors")] long Errors,
    [property: JsonPropertyName("seconds")] double Seconds,
    [property: JsonPropertyName("throughput_per_s")] double ThroughputPerSecond,
    [property: JsonPropertyName("p50_ms")] double P50,
    [property: JsonPropertyName("p90_ms")] double P90,
    [property: JsonPropertyName("p99_ms")] double P99,
    [property: JsonPropertyName("p999_ms")] double P999,
    [property: JsonPropertyName("max_ms")] double Max,
    [property: JsonPropertyName("outcomes")] IReadOnlyDictionary<string, int> Outcomes,
    [property: JsonPropertyName("errors_by_reason")] IReadOnlyDictionary<string, int> ErrorsByReason)
{
    /// <summary>pgbench's TPS at this level's concurrency, when the baselines ran.</summary>
    [JsonPropertyName("pgbench_tps")]
    public double? PgbenchTps { get; init; }

    [JsonPropertyName("throughput_over_pgbench")]
    public double? OverPgbench => PgbenchTps is > 0 ? Math.Round(ThroughputPerSecond / PgbenchTps.Value, 3) : null;

    [JsonPropertyName("p99_over_p50")]
    public double P99OverP50 => P50 > 0 ? Math.Round(P99 / P50, 2) : 0;

    public static BenchLevel From(
        int concurrency, double? offered, double seconds, HistogramBase latencies, IDictionary<string, int> outcomes, IDictionary<string, int> errors)
    {
        var answered = outcomes.Values.Sum();
        var failed = errors.Values.Sum();
        double At(double percentile) => latencies.TotalCount == 0 ? 0 : Math.Round(BenchRunner.Ms(latencies.GetValueAtPercentile(percentile)), 1);
        return new BenchLevel(
            concurrency, offered is { } o ? Math.Round(o, 1) : null, answered + failed, answered, failed, Math.Round(seconds, 2),
            seconds > 0 ? Math.Round(answered / seconds, 1) : 0,
            At(50), At(90), At(99), At(99.9), latencies.TotalCount == 0 ? 0 : Math.Round(BenchRunner.Ms(latencies.GetMaxValue()), 1),
            new SortedDictionary<string, int>(outcomes, StringComparer.Ordinal), new SortedDictionary<string, int>(errors, StringComparer.Ordinal));
    }
}
