namespace RealName.Grains.Reviews;

/// <summary>Persisted state of <see cref="ReviewShardGrain"/> (state name "review-shard").</summary>
[Alias("RealName.Grains.Reviews.ReviewShardState")]
[GenerateSerializer]
public sealed record ReviewShardState
{
    /// <summary>
    /// Cases stored in the state before schema 0101 kept them as rows (<see cref="ReviewCaseStore"/>): moved to the
    /// table, and emptied here, when the grain activates. Nothing new is written here.
    /// </summary>
    [Id(0)] public ImmutableList<ReviewCase> Pending { get; init; } = [];

    /// <summary>True once the shard is listed in the directory (<see cref="IReviewShardDirectoryGrain"/>).</summary>
    [Id(1)] public bool Registered { get; init; }
}

/// <summary>
/// The review queue of one carrier and province: borderline face decisions wait here for a reviewer. The grain is the
/// queue's single writer; its cases are rows of their own (one insert per case opened, one delete per case decided),
/// so the state keeps only the directory flag and the cost of a case does not grow with the queue.
/// </summary>
[GrainType("reviewshard")]
public sealed class ReviewShardGrain(
    [PersistentState("review-shard", GrainStorage.Name)] IPersistentState<ReviewShardState> state,
    ReviewCaseStore cases,
    RecordedReviewDecisions decisions) : Grain, IReviewShardGrain
{
    private const int MaxLimit = 1000;

    private string ShardKey => this.GetPrimaryKeyString();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (state.State.Pending.IsEmpty)
        {
            return;
        }

        // Rows first, then the emptied state: a crash in between repeats inserts that change nothing.
        foreach (var reviewCase in state.State.Pending)
        {
            await Store(reviewCase, cancellationToken);
        }

        state.State = state.State with { Pending = [] };
        await state.WriteStateAsync(cancellationToken);
    }

    public async Task Enqueue(ReviewCase reviewCase)
    {
        if (!state.State.Registered)
        {
            // Before the case is stored, so a listing never misses a shard that holds a case.
            await GrainFactory.GetGrain<IReviewShardDirectoryGrain>(0).Register(ShardKey);
            state.State = state.State with { Registered = true };
            await state.WriteStateAsync();
        }

        await Store(reviewCase);
    }

    public async Task<ImmutableList<ReviewCase>> ListPending(int limit, ReviewCursor? after)
    {
        var rows = await cases.ListAsync(ShardKey, Math.Clamp(limit, 1, MaxLimit), after is null ? null : (after.CreatedAt, after.CaseId));
        return [.. rows.Select(ReviewCaseCodec.Decode)];
    }

    public async Task<ReviewCase?> Get(string caseId) =>
        await cases.GetAsync(ShardKey, caseId) is { } row ? ReviewCaseCodec.Decode(row) : null;

    public Task Complete(string caseId) => cases.RemoveAsync(ShardKey, caseId);

    public async Task<DecidedReviewCase?> GetDecided(string caseId) =>
        await decisions.FindAsync(caseId) is { } d ? new DecidedReviewCase(caseId, d.PhoneNumber, d.CarrierId, d.DecidedBy, d.Approved, d.Reason) : null;

    private Task Store(ReviewCase reviewCase, CancellationToken cancellationToken = default) =>
        cases.AddAsync(ShardKey, reviewCase.CaseId, reviewCase.CreatedAt, ReviewCaseCodec.Encode(reviewCase), cancellationToken);
}
