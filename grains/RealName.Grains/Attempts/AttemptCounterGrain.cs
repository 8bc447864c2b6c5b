using Microsoft.Extensions.Options;
using RealName.Grains.Subscribers;

namespace RealName.Grains.Attempts;

/// <summary>One counted attempt: its id (a digest of the number and idempotency key) and when.</summary>
[Alias("RealName.Grains.Attempts.CountedAttempt")]
[GenerateSerializer, Immutable]
public sealed record CountedAttempt(
    [property: Id(0)] string AttemptId,
    [property: Id(1)] DateTimeOffset At);

/// <summary>Persisted state of <see cref="AttemptCounterGrain"/> (state name "attempt-counter").</summary>
[Alias("RealName.Grains.Attempts.AttemptCounterState")]
[GenerateSerializer]
public sealed record AttemptCounterState
{
    /// <summary>Attempts of the last day, oldest first (at most the day's limit: refused attempts are not counted).</summary>
    [Id(0)] public ImmutableList<CountedAttempt> Counted { get; init; } = [];
}

/// <summary>
/// The registration attempts of one identity or device (see <see cref="AttemptCounters"/>). Stored in PostgreSQL on
/// every counted attempt, so a silo restart or a move to another silo keeps the count.
/// </summary>
[GrainType("attemptcounter")]
public sealed class AttemptCounterGrain(
    [PersistentState("attempt-counter", GrainStorage.Name)] IPersistentState<AttemptCounterState> state,
    TimeProvider clock,
    IOptions<AttemptLimitOptions> options) : Grain, IAttemptCounterGrain
{
    public async Task<Refusal?> Count(string attemptId)
    {
        var key = this.GetPrimaryKeyString();
        var identity = key.StartsWith(AttemptCounters.IdentityPrefix, StringComparison.Ordinal);
        var rate = identity ? options.Value.PerIdentity : options.Value.PerDevice;
        if (rate is { PerMinute: 0, PerDay: 0 } || state.State.Counted.Any(a => a.AttemptId == attemptId))
        {
            return null;
        }

        var now = clock.GetUtcNow();
        var recent = state.State.Counted.RemoveAll(a => now - a.At >= AttemptRates.Day);
        if (AttemptRates.CheckOneMore([.. recent.Select(a => a.At)], now, rate, identity ? "identity" : "device") is { } refused)
        {
            return Refusal.From(refused);
        }

        state.State = state.State with { Counted = recent.Add(new CountedAttempt(attemptId, now)) };
        await state.WriteStateAsync();
        return null;
    }
}
