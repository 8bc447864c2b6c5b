using System.Diagnostics.Metrics;

namespace RealName.Grains.Telemetry;

/// <summary>
/// The grains' business metrics (meter <c>RealName.Grid</c>): registrations by decision and channel kind, and
/// re-reviews by outcome. Tags carry codes only (decision, channel kind, outcome, trigger), never a number,
/// a name, a document or an identity key.
/// </summary>
public static class GridMetrics
{
    public const string MeterName = "RealName.Grid";

    private static readonly Meter Meter = new(MeterName);

    private static readonly Counter<long> Registrations = Meter.CreateCounter<long>(
        "realname.registrations", unit: "{registration}", description: "Registrations decided, by decision (APPROVED, PENDING_REVIEW, REFUSED) and channel kind");

    private static readonly Counter<long> ReReviews = Meter.CreateCounter<long>(
        "realname.rereviews", unit: "{re-review}", description: "Re-reviews by outcome: started, passed, failed, overdue, pending_review");

    /// <summary>One registration decided (not a replayed answer).</summary>
    public static void Registration(string decision, string channelKind, string? reason = null) =>
        Registrations.Add(1,
            new KeyValuePair<string, object?>("decision", decision),
            new KeyValuePair<string, object?>("channel_kind", channelKind),
            new KeyValuePair<string, object?>("reason", reason ?? ""));

    /// <summary>A re-review started (with its trigger code) or ended (passed, failed, overdue) or went to a reviewer.</summary>
    public static void ReReview(string outcome, string trigger = "") =>
        ReReviews.Add(1,
            new KeyValuePair<string, object?>("outcome", outcome),
            new KeyValuePair<string, object?>("trigger", trigger));
}

/// <summary>What happened to a re-review (the <c>outcome</c> tag of <c>realname.rereviews</c>; strings, not an enum, as
/// every enum of the grain assemblies is a stored name).</summary>
public static class ReReviewOutcomes
{
    public const string Started = "started";
    public const string Passed = "passed";
    public const string Failed = "failed";
    public const string Overdue = "overdue";
    public const string PendingReview = "pending_review";
}
