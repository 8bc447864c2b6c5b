using System.Collections.Immutable;

namespace RealName.Grains.Reviews;

/// <summary>
/// How review cases are sharded. The shard key is the carrier and the province of the channel that made the
/// case (<see cref="ChannelFacts.CarrierId"/> "/" <see cref="ChannelFacts.Region"/>, each part URI-escaped so
/// neither can contain the separator; the province part is empty when the outlet has none). A case id is its
/// shard key, "/", and a 32-hex-digit id, so a decision finds the case's shard from the id alone. Ids without a
/// "/" were issued by the single queue before sharding; the old queue remembers where it handed them.
/// </summary>
public static class ReviewShards
{
    private const char Separator = '/';

    public static string KeyOf(ChannelFacts channel) =>
        Uri.EscapeDataString(channel.CarrierId) + Separator + Uri.EscapeDataString(channel.Region);

    public static string CaseId(ChannelFacts channel, Guid id) => KeyOf(channel) + Separator + id.ToString("N");

    /// <summary>The shard key in a case id, or null for an id of the old single queue.</summary>
    public static string? KeyInCaseId(string caseId)
    {
        var last = caseId.LastIndexOf(Separator);
        return last > 0 ? caseId[..last] : null;
    }

    public static string CarrierOf(string shardKey) => Uri.UnescapeDataString(shardKey[..shardKey.IndexOf(Separator)]);

    /// <summary>The shard holding the case, or null when no shard is known for the id.</summary>
    public static async Task<IReviewShardGrain?> Find(IGrainFactory grains, string caseId)
    {
        var key = KeyInCaseId(caseId) ?? await grains.GetGrain<IReviewQueueGrain>(0).ShardOf(caseId);
        return key is null ? null : grains.GetGrain<IReviewShardGrain>(key);
    }

    /// <summary>
    /// Pending cases across the shards of <paramref name="carriers"/> (every carrier when null), merged oldest
    /// first, strictly after <paramref name="after"/>, at most <paramref name="limit"/>.
    /// </summary>
    public static async Task<ImmutableList<ReviewCase>> ListPending(IGrainFactory grains, ImmutableArray<string>? carriers, int limit, ReviewCursor? after)
    {
        // The old queue hands its cases over on activation; touching it first means none is missed.
        await grains.GetGrain<IReviewQueueGrain>(0).HandOver();
        var shards = await grains.GetGrain<IReviewShardDirectoryGrain>(0).ListShards(carriers);
        var pages = await Task.WhenAll(shards.Select(key => grains.GetGrain<IReviewShardGrain>(key).ListPending(limit, after)));
        return [.. OldestFirst(pages.SelectMany(page => page)).Take(limit)];
    }

    /// <summary>
    /// The order of every listing: creation time to the microsecond (<see cref="ReviewCursor.OrderTime"/>, the order of
    /// the shards' rows), then case id (ordinal) for cases created together.
    /// </summary>
    public static IEnumerable<ReviewCase> OldestFirst(IEnumerable<ReviewCase> cases) =>
        cases.OrderBy(c => ReviewCursor.OrderTime(c.CreatedAt)).ThenBy(c => c.CaseId, StringComparer.Ordinal);
}
