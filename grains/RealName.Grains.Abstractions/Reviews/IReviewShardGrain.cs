using Orleans.Concurrency;
using System.Collections.Immutable;

namespace RealName.Grains.Reviews;

/// <summary>A position in the oldest-first order of pending cases: listing resumes strictly after it.</summary>
[Alias("RealName.Grains.Reviews.ReviewCursor")]
[GenerateSerializer, Immutable]
public sealed record ReviewCursor(
    [property: Id(0)] DateTimeOffset CreatedAt,
    [property: Id(1)] string CaseId)
{
    /// <summary>Where a case stands relative to the cursor in the order of <see cref="ReviewShards.OldestFirst"/>.</summary>
    public static int Compare(ReviewCase a, ReviewCursor b)
    {
        var byTime = OrderTime(a.CreatedAt).CompareTo(OrderTime(b.CreatedAt));
        return byTime != 0 ? byTime : string.CompareOrdinal(a.CaseId, b.CaseId);
    }

    /// <summary>The creation time as listings order it: whole microseconds since 0001, what PostgreSQL's timestamptz keeps.</summary>
    public static long OrderTime(DateTimeOffset createdAt) => createdAt.UtcTicks / TimeSpan.TicksPerMicrosecond;

    public static ReviewCursor Of(ReviewCase reviewCase) => new(reviewCase.CreatedAt, reviewCase.CaseId);
}

/// <summary>
/// The manual-review queue of one carrier in one province (grain key: <see cref="ReviewShards.KeyOf"/>).
/// Borderline face decisions wait here for a reviewer.
/// </summary>
[Alias("RealName.Grains.Reviews.IReviewShardGrain")]
public interface IReviewShardGrain : IGrainWithStringKey
{
    Task Enqueue(ReviewCase reviewCase);

    /// <summary>Pending cases oldest first, strictly after <paramref name="after"/>, at most <paramref name="limit"/>.</summary>
    Task<ImmutableList<ReviewCase>> ListPending(int limit, ReviewCursor? after);

    Task<ReviewCase?> Get(string caseId);

    /// <summary>Removes a decided case.</summary>
    Task Complete(string caseId);

    /// <summary>The decision recorded on a case that has left the queue, or null when none was (never opened, or the number was cancelled).</summary>
    [ReadOnly]
    Task<DecidedReviewCase?> GetDecided(string caseId);
}

/// <summary>A decided case as its audit event records it: a retried decision is compared with it.</summary>
[Alias("RealName.Grains.Reviews.DecidedReviewCase")]
[GenerateSerializer, Immutable]
public sealed record DecidedReviewCase(
    [property: Id(0)] string CaseId,
    [property: Id(1)] string PhoneNumber,
    [property: Id(2)] string CarrierId,
    [property: Id(3)] string DecidedBy,
    [property: Id(4)] bool Approved,
    [property: Id(5)] string Reason)
{
    /// <summary>The same reviewer made the same decision for the same reason: a retry, answered as the first was.</summary>
    public bool IsRepeatedBy(string reviewer, bool approve, string reason) =>
        string.Equals(DecidedBy, reviewer, StringComparison.Ordinal) && Approved == approve && string.Equals(Reason, reason.Trim(), StringComparison.Ordinal);
}

/// <summary>Which review shards exist (single grain, key 0): written once per new shard, read by every listing.</summary>
[Alias("RealName.Grains.Reviews.IReviewShardDirectoryGrain")]
public interface IReviewShardDirectoryGrain : IGrainWithIntegerKey
{
    Task Register(string shardKey);

    /// <summary>The shards of these carriers, or of every carrier when <paramref name="carriers"/> is null.</summary>
    [ReadOnly]
    Task<ImmutableArray<string>> ListShards(ImmutableArray<string>? carriers);
}
