
namespace RealName.Grains.Reviews;

/// <summary>Persisted state of <see cref="ReviewQueueGrain"/> (state name "review-queue").</summary>
[Alias("RealName.Grains.Reviews.ReviewQueueState")]
[GenerateSerializer]
public sealed record ReviewQueueState
{
    /// <summary>Cases not yet handed to their shards (only ever filled by versions before sharding).</summary>
    [Id(0)] public ImmutableList<ReviewCase> Pending { get; init; } = [];

    /// <summary>Case id → shard key of every case handed over.</summary>
    [Id(1)] public ImmutableDictionary<string, string> HandedOver { get; init; } = ImmutableDictionary<string, string>.Empty;
}

/// <summary>
/// The single review queue of versions before sharding (key 0). On activation it hands each pending case to
/// the shard of the case's channel, then empties itself in one write; a crash in between repeats the
/// hand-over, which the shards ignore for cases they already hold.
/// </summary>
[GrainType("reviewqueue")]
public sealed class ReviewQueueGrain(
    [PersistentState("review-queue", GrainStorage.Name)] IPersistentState<ReviewQueueState> state) : Grain, IReviewQueueGrain
{
    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (state.State.Pending.IsEmpty)
        {
            return;
        }

        var handedOver = state.State.HandedOver;
        foreach (var reviewCase in state.State.Pending)
        {
            var shardKey = ReviewShards.KeyOf(reviewCase.Channel);
            await GrainFactory.GetGrain<IReviewShardGrain>(shardKey).Enqueue(reviewCase);
            handedOver = handedOver.SetItem(reviewCase.CaseId, shardKey);
        }

        state.State = new ReviewQueueState { HandedOver = handedOver };
        await state.WriteStateAsync(cancellationToken);
    }

    public Task HandOver() => Task.CompletedTask;

    public Task<string?> ShardOf(string caseId) => Task.FromResult(state.State.HandedOver.GetValueOrDefault(caseId));
}
