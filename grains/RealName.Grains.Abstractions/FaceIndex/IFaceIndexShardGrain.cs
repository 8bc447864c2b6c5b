using System.Collections.Immutable;
using Orleans.Concurrency;

namespace RealName.Grains.FaceIndex;

/// <summary>
/// One shard of the 1:N face index (key: shard number, 0 .. FaceIndex:Shards - 1). It holds the templates whose id
/// hashes to it (<see cref="FaceIndexShards.ShardOf"/>) in a contiguous float matrix, loaded from PostgreSQL
/// (table face_templates, sealed) when it activates; adds and removals are written there before they are applied.
/// </summary>
[Alias("RealName.Grains.FaceIndex.IFaceIndexShardGrain")]
public interface IFaceIndexShardGrain : IGrainWithIntegerKey
{
    /// <summary>Adds the template, or replaces the one with the same id.</summary>
    Task Add(IndexedFace face);

    /// <summary>Removes the template (a cancelled or purged registration); nothing when it is not there.</summary>
    Task Remove(string templateId);

    /// <summary>The best <paramref name="k"/> templates of this model version scoring at or above the calibrated search threshold, best first.</summary>
    [ReadOnly]
    Task<ImmutableArray<FaceLink>> Search(float[] probe, string modelVersion, int k);

    [ReadOnly]
    Task<FaceShardStats> Stats();
}
