
namespace RealName.Grains.Reviews;

/// <summary>Persisted state of <see cref="ReviewShardGrain"/> (state name "review-shard").</summary>
[Alias("RealName.Grains.Reviews.ReviewShardState")]
[GenerateSerializer]
public sealed record ReviewShardState
{
    [Id(0)] public ImmutableList<ReviewCase> Pending { get; init; } = [];

    /// <summary>True once the shard is listed in the directory (<see cref="IReviewShardDirectoryGrain"/>).</summary>
    [Id(1)] public bool Registered { get; init; }
}

/// <summary>The review queue of one carrier and province: borderline face decisions wait here for a reviewer.</summary>
[GrainType("reviewshard")]
public sealed class ReviewShardGrain(
    [PersistentState("review-shard", GrainStorage.Name)] IPersistentState<ReviewShardState> state) : Grain, IReviewShardGrain
{
    private const int MaxLimit = 1000;

    public async Task Enqueue(ReviewCase reviewCase)
    {
        if (state.State.Pending.Any(c => c.CaseId == reviewCase.CaseId))
        {
            return;
        }

        if (!state.State.Registered)
        {
            // Before the case is stored, so a listing never misses a shard that holds a case.
            await GrainFactory.GetGrain<IReviewShardDirectoryGrain>(0).Register(this.GetPrimaryKeyString());
        }

        state.State = state.State with { Pending = state.State.Pending.Add(reviewCase), Registered = true };
        await state.WriteStateAsync();
    }

    public Task<ImmutableList<ReviewCase>> ListPending(int limit, ReviewCursor? after) => Task.FromResult(ReviewShards
        .OldestFirst(state.State.Pending.Where(c => after is null || ReviewCursor.Compare(c, after) > 0))
        .Take(Math.Clamp(limit, 1, MaxLimit))
        .ToImmutableList());

    public Task<ReviewCase?> Get(string caseId) => Task.FromResult(state.State.Pending.FirstOrDefault(c => c.CaseId == caseId));

    public async Task Complete(string caseId)
    {
        var remaining = state.State.Pending.RemoveAll(c => c.CaseId == caseId);
        if (remaining.Count != state.State.Pending.Count)
        {
            state.State = state.State with { Pending = remaining };
            await state.WriteStateAsync();
        }
    }
}
