using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace RealName.Storage;

/// <summary>The write side's metrics (meter <c>RealName.Storage</c>): how long an audit append takes, by result.</summary>
public static class StorageMetrics
{
    public const string MeterName = "RealName.Storage";

    private static readonly Meter Meter = new(MeterName);

    private static readonly Histogram<double> AuditAppend = Meter.CreateHistogram<double>(
        "realname.audit.append.duration", unit: "s", description: "Time to append one event to the hash-chained audit log (transaction included)",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5] });

    /// <summary>
    /// Records an append that started at <paramref name="started"/> (a <see cref="Stopwatch"/> timestamp), by result and
    /// by path: <c>known_head</c> (one statement), <c>read_head</c> (the head read first: another process had moved
    /// it lately), <c>locked</c> (under the head's lock: a checkpoint, a retried event, or a head moved meanwhile),
    /// <c>none</c> (it failed). Many <c>read_head</c> or <c>locked</c> appends mean silos share partitions.
    /// </summary>
    public static void AuditAppended(long started, string result, string path) =>
        AuditAppend.Record(
            Stopwatch.GetElapsedTime(started).TotalSeconds, new KeyValuePair<string, object?>("result", result), new KeyValuePair<string, object?>("path", path));
}
