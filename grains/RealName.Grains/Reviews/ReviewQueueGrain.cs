using System.Collections.Immutable;

namespace RealName.Grains.Reviews;

/// <summary>Persisted state of <see cref="ReviewQueueGrain"/> (state name "review-queue").</summary>
[GenerateSerializer]
public sealed record ReviewQueueState
{
    [Id(0)] public ImmutableList<ReviewCase> Pending { get; init; } = [];
}

/// <summary>The manual-review queue: borderline face decisions wait here for a reviewer.</summary>
public sealed class ReviewQueueGrain(
    [PersistentState("review-queue", GrainStorage.Name)] IPersistentState<ReviewQueueState> state) : Grain, IReviewQueueGrain
{
    public async Task Enqueue(ReviewCase reviewCase)
    {
        if (state.State.Pending.Any(c => c.CaseId == reviewCase.CaseId))
        {
            return;
        }

        state.State = state.State with { Pending = state.State.Pending.Add(reviewCase) };
        await state.WriteStateAsync();
    }

    public Task<ImmutableList<ReviewCase>> ListPending(int limit, string? after)
    {
        var pending = state.State.Pending.OrderBy(c => c.CreatedAt).ThenBy(c => c.CaseId, StringComparer.Ordinal).ToList();
        var start = after is null ? 0 : pending.FindIndex(c => c.CaseId == after) + 1;
        return Task.FromResult(pending.Skip(start).Take(Math.Clamp(limit, 1, 500)).ToImmutableList());
    }

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
