using System.Collections.Immutable;
using RealName.Grains.Subscribers;
using RealName.Rules;

namespace RealName.Grains.Reviews;

/// <summary>What a manual-review case is about.</summary>
public enum ReviewCaseKind
{
    Registration = 1,
    ReReview = 2,
}

/// <summary>A borderline face decision waiting for a human (domain rule 2: never silently pass).</summary>
[GenerateSerializer, Immutable]
public sealed record ReviewCase(
    [property: Id(0)] string CaseId,
    [property: Id(1)] ReviewCaseKind Kind,
    [property: Id(2)] string PhoneNumber,
    [property: Id(3)] CardType CardType,
    [property: Id(4)] ChannelFacts Channel,
    [property: Id(5)] ImmutableList<FaceSummary> Faces,
    [property: Id(6)] DateTimeOffset CreatedAt);

/// <summary>The manual-review queue (single grain, key 0): reviewers list pending cases and decide them.</summary>
public interface IReviewQueueGrain : IGrainWithIntegerKey
{
    Task Enqueue(ReviewCase reviewCase);

    /// <summary>Pending cases, oldest first, after the given case id (paging), at most <paramref name="limit"/>.</summary>
    Task<ImmutableList<ReviewCase>> ListPending(int limit, string? after);

    Task<ReviewCase?> Get(string caseId);

    /// <summary>Removes a decided case.</summary>
    Task Complete(string caseId);
}
