using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RealName.Face;
using RealName.Face.Search;

namespace RealName.Grains.FaceIndex;

/// <summary>
/// One shard of the 1:N face index: its templates in one <see cref="TemplateMatrix"/> per model version, and their
/// owners. No grain state: PostgreSQL (face_templates) is the record, read back whole on activation, so a silo
/// restart or a move to another silo rebuilds the shard. Writes go to PostgreSQL first, then to memory.
/// </summary>
[GrainType("faceindexshard")]
public sealed partial class FaceIndexShardGrain(
    FaceTemplateStore store,
    IFaceEngine engine,
    IOptions<FaceIndexOptions> options,
    ILogger<FaceIndexShardGrain> logger) : Grain, IFaceIndexShardGrain
{
    private readonly Dictionary<string, TemplateMatrix> matrices = new(StringComparer.Ordinal);
    private readonly Dictionary<string, FaceOwner> owners = new(StringComparer.Ordinal);

    private int Shard => (int)this.GetPrimaryKeyLong();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        await foreach (var row in store.LoadShardAsync(Shard, options.Value.Shards, cancellationToken))
        {
            Put(IndexedFaceCodec.Decode(row.TemplateId, row.ModelVersion, row.Payload));
        }

        LogLoaded(logger, Shard, owners.Count);
    }

    public async Task Add(IndexedFace face)
    {
        await store.SaveAsync(face.TemplateId, FaceIndexShards.BucketOf(face.TemplateId), face.ModelVersion, IndexedFaceCodec.Encode(face));
        Put(face);
    }

    public async Task Remove(string templateId)
    {
        await store.DeleteAsync(templateId);
        foreach (var matrix in matrices.Values)
        {
            matrix.Remove(templateId);
        }

        owners.Remove(templateId);
    }

    public Task<ImmutableArray<FaceLink>> Search(float[] probe, string modelVersion, int k)
    {
        if (!matrices.TryGetValue(modelVersion, out var matrix) || probe.Length != matrix.Dimensions)
        {
            return Task.FromResult(ImmutableArray<FaceLink>.Empty);
        }

        var hits = matrix.Search(probe, k, (float)engine.Thresholds.Search);
        return Task.FromResult(hits.Select(hit => new FaceLink(hit.TemplateId, owners[hit.TemplateId], Math.Round(hit.Score, 5))).ToImmutableArray());
    }

    public Task<FaceShardStats> Stats() =>
        Task.FromResult(new FaceShardStats(owners.Count, matrices.Values.Sum(m => m.AllocatedBytes)));

    private void Put(IndexedFace face)
    {
        // A template moves to its current model version's matrix (a re-enrolment under a new model).
        foreach (var (version, other) in matrices)
        {
            if (version != face.ModelVersion)
            {
                other.Remove(face.TemplateId);
            }
        }

        if (!matrices.TryGetValue(face.ModelVersion, out var matrix))
        {
            matrix = new TemplateMatrix(face.Embedding.Length);
            matrices[face.ModelVersion] = matrix;
        }

        matrix.Add(face.TemplateId, face.Embedding);
        owners[face.TemplateId] = face.Owner;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Face index shard {Shard} loaded {Templates} templates")]
    private static partial void LogLoaded(ILogger logger, int shard, int templates);
}
