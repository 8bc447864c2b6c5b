using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using RealName.Cli.Commands;

namespace RealName.Cli.Bench;

/// <summary>
/// A whole run: the closed-loop levels of the concurrency sweep, the paced level at 80 % of the peak (after a sweep),
/// the baselines. The top-level figures are those of the peak level (the highest throughput).
/// </summary>
internal sealed record BenchReport(
    [property: JsonPropertyName("scenario")] string Scenario,
    [property: JsonPropertyName("run")] int Run,
    [property: JsonPropertyName("cores")] int Cores,
    [property: JsonPropertyName("load_average")] string LoadAverage,
    [property: JsonPropertyName("levels")] IReadOnlyList<BenchLevel> Levels,
    [property: JsonPropertyName("at_80pct_of_peak")] BenchLevel? AtEightyPercent,
    [property: JsonPropertyName("engine_per_s")] double? EnginePerSecond)
{
    private static readonly JsonSerializerOptions Json = new()
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>
    /// The engine-alone rate measured before and after the sweep (faces): on a shared or throttled machine the cores'
    /// speed drifts over a run, so <see cref="EnginePerSecond"/> is their mean, not the first figure alone.
    /// </summary>
    [JsonPropertyName("engine_per_s_before_and_after")]
    public IReadOnlyList<double>? EngineSamples { get; init; }

    /// <summary>Seconds the scenario ran untimed before the first measured level, when it did.</summary>
    [JsonPropertyName("warmup_s")]
    public double? WarmupSeconds { get; init; }

    /// <summary>Rounds of the engine alone then the grid at the peak's calls in flight, back to back (<see cref="PairedRound"/>).</summary>
    [JsonPropertyName("paired_rounds")]
    public IReadOnlyList<PairedRound>? Paired { get; init; }

    /// <summary>The faces goal measured in pairs: the median of the rounds' grid/engine ratios.</summary>
    [JsonPropertyName("paired_ratio_median")]
    public double? PairedMedian => Paired is { } rounds ? PairedRound.MedianRatio(rounds) : null;

    [JsonIgnore]
    public BenchLevel? Peak => Levels.Count == 0 ? null : Levels.MaxBy(l => l.ThroughputPerSecond);

    [JsonPropertyName("concurrency")]
    public int? Concurrency => Peak?.Concurrency;

    [JsonPropertyName("requests")]
    public long Requests => Levels.Sum(l => l.Requests) + (AtEightyPercent?.Requests ?? 0);

    [JsonPropertyName("throughput_per_s")]
    public double ThroughputPerSecond => Peak?.ThroughputPerSecond ?? 0;

    [JsonPropertyName("p50_ms")]
    public double P50 => Peak?.P50 ?? 0;

    [JsonPropertyName("p90_ms")]
    public double P90 => Peak?.P90 ?? 0;

    [JsonPropertyName("p99_ms")]
    public double P99 => Peak?.P99 ?? 0;

    [JsonPropertyName("p999_ms")]
    public double P999 => Peak?.P999 ?? 0;

    [JsonPropertyName("max_ms")]
    public double Max => Peak?.Max ?? 0;

    /// <summary>Errors over every level of the run.</summary>
    [JsonPropertyName("errors")]
    public long Errors => AllLevels.Sum(l => l.Errors);

    [JsonPropertyName("errors_by_reason")]
    public IReadOnlyDictionary<string, int> ErrorsByReason => AllLevels.SelectMany(l => l.ErrorsByReason)
        .GroupBy(e => e.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Sum(e => e.Value), StringComparer.Ordinal);

    /// <summary>pgbench's TPS at the peak level's concurrency.</summary>
    [JsonPropertyName("pgbench_tps")]
    public double? PgbenchTps => Peak?.PgbenchTps;

    /// <summary>Registrations with faces per engine comparison (the other scenarios do not compare faces once per request).</summary>
    [JsonPropertyName("throughput_over_engine")]
    public double? OverEngine => EnginePerSecond is > 0 && Scenario == "faces" ? Math.Round(ThroughputPerSecond / EnginePerSecond.Value, 3) : null;

    [JsonPropertyName("throughput_over_pgbench")]
    public double? OverPgbench => Peak?.OverPgbench;

    [JsonPropertyName("p99_over_p50_at_80pct")]
    public double? P99OverP50AtEightyPercent => AtEightyPercent?.P99OverP50;

    private IEnumerable<BenchLevel> AllLevels => AtEightyPercent is null ? Levels : Levels.Append(AtEightyPercent);

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public string ToMarkdown()
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"Scenario `{Scenario}`, {Cores} cores, load average {LoadAverage}");
        if (WarmupSeconds is { } warmup)
        {
            text.Append(CultureInfo.InvariantCulture, $", after {warmup:0} s of warm-up");
        }
        if (EnginePerSecond is { } engine)
        {
            text.Append(CultureInfo.InvariantCulture, $"; face engine alone {engine:0.0} comparisons/s");
            if (EngineSamples is [var before, var after])
            {
                text.Append(CultureInfo.InvariantCulture, $" (mean of {before:0.0} before the sweep and {after:0.0} after)");
            }
        }

        text.AppendLine().AppendLine()
            .AppendLine("| calls in flight | offered/s | requests | errors | answered/s | p50 ms | p90 ms | p99 ms | p99.9 ms | max ms | p99/p50 | pgbench TPS | / pgbench |")
            .AppendLine("|---|---|---|---|---|---|---|---|---|---|---|---|---|");
        foreach (var l in AllLevels)
        {
            text.AppendLine(CultureInfo.InvariantCulture,
                $"| {l.Concurrency} | {(l.OfferedPerSecond is { } o ? $"{o:0.0} (80 % of peak)" : "closed loop")} | {l.Requests} | {l.Errors} | {l.ThroughputPerSecond:0.0} | {l.P50:0.0} | {l.P90:0.0} | {l.P99:0.0} | {l.P999:0.0} | {l.Max:0.0} | {l.P99OverP50:0.00} | {(l.PgbenchTps is { } t ? t.ToString("0", CultureInfo.InvariantCulture) : "")} | {(l.OverPgbench is { } r ? r.ToString("0.00", CultureInfo.InvariantCulture) : "")} |");
        }

        if (OverEngine is { } overEngine)
        {
            text.AppendLine().AppendLine(CultureInfo.InvariantCulture, $"Peak {ThroughputPerSecond:0.0}/s = {overEngine:0.00} of the engine alone.");
        }

        if (Paired is { Count: > 0 } rounds)
        {
            var each = string.Join("; ", rounds.Select(r => string.Create(CultureInfo.InvariantCulture, $"{r.EnginePerSecond:0.0} then {r.GridPerSecond:0.0}/s = {r.Ratio:0.00}")));
            text.AppendLine().AppendLine(CultureInfo.InvariantCulture,
                $"Paired rounds at {Peak?.Concurrency} in flight (engine alone, then the grid): {each}. Median {PairedMedian:0.00} of the engine alone.");
        }

        var errors = ErrorsByReason;
        if (errors.Count > 0)
        {
            text.AppendLine().AppendLine("Errors: " + string.Join(", ", errors.Select(e => $"{e.Key} {e.Value}")));
        }

        return text.ToString();
    }

    /// <summary>Throughput (with the baselines) and latency against calls in flight, side by side.</summary>
    public void WritePlot(string path)
    {
        double[] xs = [.. Levels.Select(l => (double)l.Concurrency)];
        var throughput = new ScottPlot.Plot();
        throughput.Add.ScatterLine(xs, [.. Levels.Select(l => l.ThroughputPerSecond)]).LegendText = $"{Scenario} answered/s";
        // Each scenario against its own baseline: pgbench's thousands would flatten a faces run's tens to the axis.
        if (OverEngine is null && Levels.All(l => l.PgbenchTps is not null))
        {
            throughput.Add.ScatterLine(xs, [.. Levels.Select(l => l.PgbenchTps!.Value)]).LegendText = "pgbench TPS";
        }

        if (EnginePerSecond is { } engine)
        {
            throughput.Add.HorizontalLine(engine).LegendText = "face engine alone/s";
        }

        throughput.Title($"{Scenario}: throughput");
        throughput.XLabel("calls in flight");
        throughput.YLabel("per second");
        throughput.ShowLegend();

        var latency = new ScottPlot.Plot();
        latency.Add.ScatterLine(xs, [.. Levels.Select(l => l.P50)]).LegendText = "p50";
        latency.Add.ScatterLine(xs, [.. Levels.Select(l => l.P99)]).LegendText = "p99";
        latency.Title($"{Scenario}: latency");
        latency.XLabel("calls in flight");
        latency.YLabel("ms");
        latency.ShowLegend();
        FacePlot.WriteSideBySide(path, throughput, latency);
    }

    /// <summary>The 1-, 5- and 15-minute load averages (the machine is shared: print them next to every figure).</summary>
    public static string ReadLoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";
}
