using RealName.Grains.Identities;

namespace RealName.Grains.Subscribers;

/// <summary>An earlier request's outcome, replayed when the same key comes again.</summary>
[Alias("RealName.Grains.Subscribers.RememberedRequest")]
[GenerateSerializer, Immutable]
public sealed record RememberedRequest(
    [property: Id(0)] string Key,
    [property: Id(1)] RegistrationOutcome Outcome);

/// <summary>Persisted state of <see cref="SubscriberGrain"/> (state name "subscriber").</summary>
[Alias("RealName.Grains.Subscribers.SubscriberState")]
[GenerateSerializer]
public sealed record SubscriberState
{
    [Id(0)] public SubscriberRecord? Record { get; init; }

    /// <summary>Recent idempotency keys and their outcomes, newest last.</summary>
    [Id(1)] public ImmutableList<RememberedRequest> Requests { get; init; } = [];

    /// <summary>Faces to enroll on the identity once the registration is ACTIVE (at once, or when a reviewer approves).</summary>
    [Id(2)] public Enrollment? PendingEnrollment { get; init; }

    /// <summary>False between writing a change and finishing its follow-up steps (queue, identity quota, enrolment);
    /// activation finishes the job after a crash.</summary>
    [Id(3)] public bool FollowUpsDone { get; init; } = true;

    /// <summary>A review case that was open when the number was cancelled: removed from the queue as a follow-up.</summary>
    [Id(4)] public string? OpenCaseOnClose { get; init; }
}
