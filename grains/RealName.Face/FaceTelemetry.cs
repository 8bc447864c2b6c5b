using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace RealName.Face;

/// <summary>
/// The face engine's telemetry, named <c>RealName.Face</c> (meter and activity source): a span per comparison and
/// per image extraction, comparison latency by decision, the work queue's depth, and abandoned work. Tags carry
/// the image role, the decision, the model version and the stage, never an image, a template or a score's owner.
/// </summary>
public static class FaceTelemetry
{
    public const string Name = "RealName.Face";

    public static readonly ActivitySource Source = new(Name);

    private static readonly Meter Meter = new(Name);

    internal static readonly Counter<long> Abandoned =
        Meter.CreateCounter<long>("realname.face.work_abandoned", unit: "{item}", description: "Face work items abandoned because their caller gave up");

    internal static readonly UpDownCounter<long> QueueDepth =
        Meter.CreateUpDownCounter<long>("realname.face.queue.depth", unit: "{item}", description: "Face work items waiting for a free engine pipeline");

    private static readonly Histogram<double> Comparison = Meter.CreateHistogram<double>(
        "realname.face.comparison.duration", unit: "s", description: "Time of one face comparison (queue wait, both extractions and the score)",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.025, 0.05, 0.075, 0.1, 0.15, 0.25, 0.5, 1, 2.5, 5, 10] });

    /// <summary>Starts the span of a comparison; <see cref="Compared"/> ends it.</summary>
    internal static Activity? StartComparison(string kind) =>
        Source.StartActivity("face compare")?.SetTag("realname.face.comparison", kind);

    /// <summary>Records a finished comparison's latency and decision on its span and histogram.</summary>
    internal static FaceComparison Compared(Activity? activity, long started, FaceComparison comparison)
    {
        var decision = comparison.Decision.ToString();
        Comparison.Record(Stopwatch.GetElapsedTime(started).TotalSeconds,
            new KeyValuePair<string, object?>("decision", decision),
            new KeyValuePair<string, object?>("model_version", comparison.ModelVersion));
        activity?.SetTag("realname.face.decision", decision).SetTag("realname.face.model_version", comparison.ModelVersion);
        return comparison;
    }
}
