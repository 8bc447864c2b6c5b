using System.Buffers.Binary;
using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Text;

namespace RealName.Grains.FaceIndex;

/// <summary>
/// How the 1:N index is partitioned: a template's bucket is a stable hash of its id (the first four bytes of its
/// SHA-256, 31 bits), stored with the template; its shard is bucket mod the shard count, so changing
/// FaceIndex:Shards only regroups the rows when the shards next activate. A search asks every shard at once and
/// merges their best-first hits.
/// </summary>
public static class FaceIndexShards
{
    public static int BucketOf(string templateId) =>
        (int)(BinaryPrimitives.ReadUInt32BigEndian(SHA256.HashData(Encoding.UTF8.GetBytes(templateId))) & int.MaxValue);

    public static int ShardOf(string templateId, int shards) => BucketOf(templateId) % shards;

    public static Task Add(IGrainFactory grains, int shards, IndexedFace face) =>
        grains.GetGrain<IFaceIndexShardGrain>(ShardOf(face.TemplateId, shards)).Add(face);

    public static Task Remove(IGrainFactory grains, int shards, string templateId) =>
        grains.GetGrain<IFaceIndexShardGrain>(ShardOf(templateId, shards)).Remove(templateId);

    /// <summary>The best <paramref name="k"/> hits over all shards, best first.</summary>
    public static async Task<ImmutableArray<FaceLink>> Search(IGrainFactory grains, int shards, float[] probe, string modelVersion, int k)
    {
        var pages = await Task.WhenAll(Enumerable.Range(0, shards).Select(shard => grains.GetGrain<IFaceIndexShardGrain>(shard).Search(probe, modelVersion, k)));
        return [.. pages.SelectMany(page => page).OrderByDescending(hit => hit.Score).ThenBy(hit => hit.TemplateId, StringComparer.Ordinal).Take(k)];
    }

    /// <summary>Templates and matrix bytes over all shards.</summary>
    public static async Task<FaceShardStats> Stats(IGrainFactory grains, int shards)
    {
        var all = await Task.WhenAll(Enumerable.Range(0, shards).Select(shard => grains.GetGrain<IFaceIndexShardGrain>(shard).Stats()));
        return new FaceShardStats(all.Sum(s => s.Templates), all.Sum(s => s.MatrixBytes));
    }
}
