using System.Collections.Immutable;
using RealName.Grains.Identities;

namespace RealName.Grains.Subscribers;

/// <summary>An earlier request's outcome, replayed when the same key comes again.</summary>
[GenerateSerializer, Immutable]
public sealed record RememberedRequest(
    [property: Id(0)] string Key,
    [property: Id(1)] RegistrationOutcome Outcome);

/// <summary>Persisted state of <see cref="SubscriberGrain"/> (state name "subscriber").</summary>
[GenerateSerializer]
public sealed record SubscriberState
{
    [Id(0)] public SubscriberRecord? Record { get; init; }

    /// <summary>Recent idempotency keys and their outcomes, newest last.</summary>
    [Id(1)] public ImmutableList<RememberedRequest> Requests { get; init; } = [];

    /// <summary>Faces to enroll on the identity once a reviewer approves a pending registration.</summary>
    [Id(2)] public Enrollment? PendingEnrollment { get; init; }

    /// <summary>False between writing a registration and confirming it with the identity; activation finishes the job.</summary>
    [Id(3)] public bool IdentitySynced { get; init; } = true;
}
