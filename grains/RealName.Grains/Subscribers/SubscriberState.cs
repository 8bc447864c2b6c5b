using RealName.Grains.Subscribers;

namespace RealName.Grains.Subscribers;

/// <summary>Persisted state of <see cref="SubscriberGrain"/> (state name "subscriber").</summary>
[GenerateSerializer]
public sealed record SubscriberState
{
    [Id(0)] public SubscriberRecord? Record { get; init; }

    /// <summary>The idempotency key of the registration that created <see cref="Record"/>.</summary>
    [Id(1)] public string? RegistrationIdempotencyKey { get; init; }
}
