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

    /// <summary>When recent self-service face proofs failed (within the failure window), oldest first.</summary>
    [Id(3)] public ImmutableList<DateTimeOffset> FailedProofs { get; init; } = [];

    /// <summary>Self-service is refused until then after too many failed proofs.</summary>
    [Id(4)] public DateTimeOffset? SelfServiceLockedUntil { get; init; }

    /// <summary>The key of the grain this identity was handed over to (a newer key of the same person); calls are forwarded there.</summary>
    [Id(5)] public string? MovedTo { get; init; }

    /// <summary>Former keys of the same person whose grains handed their data over to this one.</summary>
    [Id(6)] public ImmutableList<string> Adopted { get; init; } = [];

    /// <summary>True when nothing is held (no numbers, faces, document or self-service history).</summary>
    public bool IsEmpty =>
        Numbers.Count == 0 && Enrollment is null && Document is null && FailedProofs.Count == 0 && SelfServiceLockedUntil is null;
}
