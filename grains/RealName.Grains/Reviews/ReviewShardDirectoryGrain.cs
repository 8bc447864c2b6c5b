
namespace RealName.Grains.Reviews;

/// <summary>Persisted state of <see cref="ReviewShardDirectoryGrain"/> (state name "review-shard-directory").</summary>
[Alias("RealName.Grains.Reviews.ReviewShardDirectoryState")]
[GenerateSerializer]
public sealed record ReviewShardDirectoryState
{
    [Id(0)] public ImmutableSortedSet<string> Shards { get; init; } = [];
}

/// <summary>The list of review shards: one write the first time a carrier and province get a case.</summary>
[GrainType("reviewsharddirectory")]
public sealed class ReviewShardDirectoryGrain(
    [PersistentState("review-shard-directory", GrainStorage.Name)] IPersistentState<ReviewShardDirectoryState> state) : Grain, IReviewShardDirectoryGrain
{
    public async Task Register(string shardKey)
    {
        if (!state.State.Shards.Contains(shardKey))
        {
            state.State = state.State with { Shards = state.State.Shards.Add(shardKey) };
            await state.WriteStateAsync();
        }
    }

    public Task<ImmutableArray<string>> ListShards(ImmutableArray<string>? carriers) => Task.FromResult(carriers is not { } wanted
        ? state.State.Shards.ToImmutableArray()
        : [.. state.State.Shards.Where(key => wanted.Contains(ReviewShards.CarrierOf(key)))]);
}
