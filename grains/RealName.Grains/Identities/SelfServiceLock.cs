using System.Globalization;
using RealName.Grains.Subscribers;

namespace RealName.Grains.Identities;

/// <summary>
/// The attempt limit of self-service face proofs: failures within the window are remembered in the identity's
/// state; reaching the maximum locks the identity's self-service for the lock duration (durable, so a restart
/// or another silo does not reset it).
/// </summary>
internal static class SelfServiceLock
{
    public static IdentityState AfterFailure(IdentityState state, DateTimeOffset now, SelfServiceOptions options)
    {
        var failures = state.FailedProofs.RemoveAll(at => now - at > options.FailureWindow).Add(now);
        return failures.Count >= options.MaxFailedProofs
            ? state with { FailedProofs = [], SelfServiceLockedUntil = now + options.LockDuration }
            : state with { FailedProofs = failures };
    }

    public static Refusal Refusal(DateTimeOffset lockedUntil, DateTimeOffset now) =>
        new(RefusalCodes.TooManyFailedProofs, "Too many failed face proofs: self-service for this identity is locked for a while.")
        {
            Details = ImmutableDictionary<string, string>.Empty
                .Add("locked_until", lockedUntil.ToString("O", CultureInfo.InvariantCulture))
                .Add("retry_after_seconds", Math.Ceiling((lockedUntil - now).TotalSeconds).ToString(CultureInfo.InvariantCulture)),
        };
}
