namespace RealName.Storage.Reads;

/// <summary>Calendar bucket of a report row. Day, week (ISO, Monday) and month are in China Standard Time (UTC+8).</summary>
public enum ReportBucket
{
    Day = 1,
    Week = 2,
    Month = 3,

    /// <summary>The whole requested period is one bucket.</summary>
    Period = 4,
}

/// <summary>The registration fact a report is grouped by, besides time.</summary>
public enum ReportDimension
{
    None = 0,
    ChannelKind = 1,
    Carrier = 2,
    Region = 3,
    Outlet = 4,
    Clerk = 5,
    CardType = 6,
}

/// <summary>A report over the half-open period [From, To).</summary>
public sealed record ReportQuery(DateTimeOffset From, DateTimeOffset To, ReportBucket Bucket, ReportDimension Dimension);

/// <summary>The figures of one (bucket, dimension value). docs/auditing.md defines each one.</summary>
public sealed class ReportRowData
{
    public DateTimeOffset BucketStart { get; set; }

    public string BucketLabel { get; set; } = "";

    public string DimensionValue { get; set; } = "";

    public long Registrations { get; set; }

    public long RegistrationsApproved { get; set; }

    public long FaceCompared { get; set; }

    public long FaceMatched { get; set; }

    /// <summary>FaceMatched / FaceCompared; null when nothing was compared.</summary>
    public double? ConsistencyRate => FaceCompared == 0 ? null : (double)FaceMatched / FaceCompared;

    public long ManualReviews { get; set; }

    public long ReviewsApproved { get; set; }

    public long ReviewsRejected { get; set; }

    public long Refusals { get; set; }

    public SortedDictionary<string, long> RefusalsByReason { get; } = new(StringComparer.Ordinal);

    public long ReReviewsTriggered { get; set; }

    public long ReReviewsPassed { get; set; }

    public long ReReviewsFailed { get; set; }

    public long ReReviewsOverdue { get; set; }

    public long Suspensions { get; set; }

    public long Restorations { get; set; }

    public long FraudReportedNumbers { get; set; }

    /// <summary>Registrations (approved or sent to review) whose number is in a face cluster (FACE_LINKED names it).</summary>
    public long FaceLinkedRegistrations { get; set; }

    /// <summary>Registrations (approved or sent to review) whose number has a confirmed fraud report.</summary>
    public long FraudConfirmedRegistrations { get; set; }
}

/// <summary>Rows ordered by bucket then dimension value, and the totals over the period.</summary>
public sealed record ConsistencyReportData(ReportQuery Query, IReadOnlyList<ReportRowData> Rows, ReportRowData Total);

/// <summary>Everything the log holds about one number.</summary>
public sealed record NumberTrace(
    string PhoneNumber,
    ChainedAuditEvent? Registration,
    IReadOnlyList<string> Reviewers,
    string? CurrentStatus,
    IReadOnlyList<ChainedAuditEvent> Events);

/// <summary>What is wrong at a link of the chain.</summary>
public enum ChainProblemKind
{
    SeqGap = 1,
    PrevHashMismatch = 2,
    HashMismatch = 3,
    HeadMismatch = 4,

    /// <summary>A signed checkpoint names a different hash at its seq: the chain up to it was rewritten.</summary>
    CheckpointMismatch = 5,

    /// <summary>A checkpoint's signature does not verify with the configured public key.</summary>
    CheckpointSignatureInvalid = 6,

    /// <summary>A checkpoint names a row past the end (the tail was cut) or the checkpoint before it is gone.</summary>
    CheckpointMissing = 7,
}

/// <summary>
/// The first broken link: <see cref="Seq"/> is the log's seq of the row where it was found, or, for a head
/// or a checkpoint past the last row, the position in <see cref="Partition"/> they name.
/// </summary>
public sealed record ChainBreakData(long Seq, ChainProblemKind Problem, string Detail)
{
    public int Partition { get; init; }
}

/// <summary>A partition's head row: the position and hash of its last row.</summary>
internal sealed record ChainHead(int Partition, long Seq, byte[] Hash);

/// <summary>What a verification walked so far, over all partitions.</summary>
internal sealed class ChainWalkTotals
{
    public long Rows { get; set; }

    public long Checkpoints { get; set; }

    public long LastCheckpoints { get; set; }

    public int Partitions { get; set; }
}

/// <summary>The outcome of walking the chain; <see cref="HeadSeq"/> is the sum of the partitions' heads (the events in the chain).</summary>
public sealed record ChainVerification(bool Intact, long RowsChecked, long HeadSeq, ChainBreakData? FirstBreak, TimeSpan Elapsed)
{
    /// <summary>Checkpoints the walk reached and found matching.</summary>
    public long CheckpointsChecked { get; init; }

    /// <summary>Events covered by the newest checkpoint of each partition walked (the sum of their positions; 0: none).</summary>
    public long LastCheckpointSeq { get; init; }

    /// <summary>Partitions that hold events (walked to the end unless a break stopped the walk).</summary>
    public int Partitions { get; init; }

    /// <summary>True when a public key was configured, so checkpoint signatures were checked too.</summary>
    public bool CheckpointSignaturesVerified { get; init; }
}

/// <summary>Which events an export returns. Null or empty means "any".</summary>
public sealed record ExportFilter(DateTimeOffset From, DateTimeOffset To, string? OutletId, IReadOnlyList<string> EventTypes);

/// <summary>A number an outlet opened that was later reported as fraud-linked.</summary>
public sealed record FraudLinkedRegistrationData(
    string PhoneNumber,
    ChainedAuditEvent Registration,
    long FraudReports,
    DateTimeOffset FirstReportedAt,
    string? CurrentStatus);

/// <summary>Who a re-review campaign targets: an outlet and/or a clerk, registrations in [From, To).</summary>
public sealed record CampaignSelection(string? OutletId, string? ClerkId, DateTimeOffset From, DateTimeOffset To);
