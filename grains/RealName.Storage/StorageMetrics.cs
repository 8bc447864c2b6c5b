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

    /// <summary>Records an append that started at <paramref name="started"/> (a <see cref="Stopwatch"/> timestamp).</summary>
    public static void AuditAppended(long started, string result) =>
        AuditAppend.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, new KeyValuePair<string, object?>("result", result));
}
