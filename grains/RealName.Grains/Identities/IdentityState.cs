using System.Collections.Immutable;
using RealName.Grains.Identities;

namespace RealName.Grains.Identities;

/// <summary>Persisted state of <see cref="IdentityGrain"/> (state name "identity").</summary>
[Alias("RealName.Grains.Identities.IdentityState")]
[GenerateSerializer]
public sealed record IdentityState
{
    [Id(0)] public ImmutableList<HeldNumber> Numbers { get; init; } = [];

    [Id(1)] public Enrollment? Enrollment { get; init; }

    /// <summary>Document kind and masked number and name; the identity key stands for the number itself.</summary>
    [Id(2)] public Subscribers.SubscriberOwner? Document { get; init; }
}
