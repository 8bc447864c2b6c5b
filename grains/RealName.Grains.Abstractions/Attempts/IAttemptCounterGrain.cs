using RealName.Grains.Subscribers;

namespace RealName.Grains.Attempts;

/// <summary>
/// Registration attempts of one identity or one device across all outlets and channels (grain key:
/// <see cref="AttemptCounters.Identity"/> or <see cref="AttemptCounters.Device"/>), persisted so a restart does
/// not reset them. <see cref="Count"/> admits and counts an attempt, or refuses it (TOO_MANY_ATTEMPTS) without
/// counting; an attempt id counted before is admitted again without a second count (a retried request).
/// </summary>
[Alias("RealName.Grains.Attempts.IAttemptCounterGrain")]
public interface IAttemptCounterGrain : IGrainWithStringKey
{
    Task<Refusal?> Count(string attemptId);
}

/// <summary>The keys of the attempt counters.</summary>
public static class AttemptCounters
{
    public const string IdentityPrefix = "identity/";

    public const string DevicePrefix = "device/";

    public static string Identity(string identityKey) => IdentityPrefix + identityKey;

    /// <summary>Device ids are the carriers' own, so a device is counted per carrier.</summary>
    public static string Device(ChannelFacts channel) => $"{DevicePrefix}{Uri.EscapeDataString(channel.CarrierId)}/{channel.DeviceId}";
}
