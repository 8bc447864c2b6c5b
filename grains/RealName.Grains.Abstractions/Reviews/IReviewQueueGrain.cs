using System.Collections.Immutable;
using Orleans.Concurrency;
using RealName.Grains.Subscribers;
using RealName.Rules;

namespace RealName.Grains.Reviews;

/// <summary>What a manual-review case is about.</summary>
[Alias("RealName.Grains.Reviews.ReviewCaseKind")]
public enum ReviewCaseKind
{
    Registration = 1,
    ReReview = 2,
}

/// <summary>A borderline face decision waiting for a human (domain rule 2: never silently pass).</summary>
[Alias("RealName.Grains.Reviews.ReviewCase")]
[GenerateSerializer, Immutable]
public sealed record ReviewCase(
    [property: Id(0)] string CaseId,
    [property: Id(1)] ReviewCaseKind Kind,
    [property: Id(2)] string PhoneNumber,
    [property: Id(3)] CardType CardType,
    [property: Id(4)] ChannelFacts Channel,
    [property: Id(5)] ImmutableList<FaceSummary> Faces,
    [property: Id(6)] DateTimeOffset CreatedAt)
{
    /// <summary>Other identities the live face was found under (1:N): the cluster the reviewer decides about.</summary>
    [Id(7)] public ImmutableList<FaceIndex.FaceLink> FaceLinks { get; init; } = [];
}

/// <summary>
/// The single review queue of earlier versions (key 0). It no longer takes cases: on activation it hands its
/// pending cases to their shards (<see cref="IReviewShardGrain"/>) and remembers which shard got each, so a
/// case id issued before sharding still finds its case.
/// </summary>
[Alias("RealName.Grains.Reviews.IReviewQueueGrain")]
public interface IReviewQueueGrain : IGrainWithIntegerKey
{
    /// <summary>Nothing beyond activation: callers use it to make sure the hand-over happened.</summary>
    [AlwaysInterleave]
    Task HandOver();

    /// <summary>The shard a case of the old queue was handed to, or null when the old queue never held it.</summary>
    [AlwaysInterleave]
    Task<string?> ShardOf(string caseId);
}
