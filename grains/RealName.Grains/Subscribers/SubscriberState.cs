using RealName.Grains.Identities;
using RealName.Rules;

namespace RealName.Grains.Subscribers;

/// <summary>An earlier request's outcome, replayed when the same key comes again with the same content.</summary>
[Alias("RealName.Grains.Subscribers.RememberedRequest")]
[GenerateSerializer, Immutable]
public sealed record RememberedRequest(
    [property: Id(0)] string Key,
    [property: Id(1)] RegistrationOutcome Outcome)
{
    /// <summary>The request's digest (empty for requests remembered before digests, or sent without one).</summary>
    [Id(2)] public string Fingerprint { get; init; } = "";

    /// <summary>Whether a request under the same key with <paramref name="fingerprint"/> is a retry of this one.</summary>
    public bool IsRetry(string fingerprint) => Fingerprint.Length == 0 || fingerprint.Length == 0 || Fingerprint == fingerprint;
}

/// <summary>Kept evidence images of a registration, deleted once their review no longer needs them.</summary>
[Alias("RealName.Grains.Subscribers.EvidenceDeletion")]
[GenerateSerializer, Immutable]
public sealed record EvidenceDeletion(
    [property: Id(0)] Guid EventId,
    [property: Id(1)] DateTimeOffset DueAt);

/// <summary>
/// A closed registration (cancelled, or rejected in review) whose personal data is purged at <see cref="DueAt"/>:
/// the record if it is still the number's, its evidence images, the personal fields of the number's audit rows
/// up to <see cref="ClosedAt"/>, and the identity's enrolled faces when it holds no number any more.
/// </summary>
[Alias("RealName.Grains.Subscribers.ScheduledPurge")]
[GenerateSerializer, Immutable]
public sealed record ScheduledPurge(
    [property: Id(0)] DateTimeOffset RegisteredAt,
    [property: Id(1)] DateTimeOffset ClosedAt,
    [property: Id(2)] DateTimeOffset DueAt,
    [property: Id(3)] Guid? EvidenceId,
    [property: Id(4)] string? IdentityKey,
    [property: Id(5)] ChannelFacts RegisteredBy,
    [property: Id(6)] CardType CardType);

/// <summary>
/// A refused registration attempt whose personal fields are purged at <see cref="DueAt"/>: those of its audit row
/// (number, identity key, other persons' keys), its evidence images if any were kept, and its remembered answer.
/// </summary>
[Alias("RealName.Grains.Subscribers.RefusalPurge")]
[GenerateSerializer, Immutable]
public sealed record RefusalPurge(
    [property: Id(0)] Guid EventId,
    [property: Id(1)] string? IdempotencyKey,
    [property: Id(2)] DateTimeOffset RefusedAt,
    [property: Id(3)] DateTimeOffset DueAt,
    [property: Id(4)] ChannelFacts Channel,
    [property: Id(5)] CardType CardType);

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

    /// <summary>Kept evidence images waiting for deletion (see <see cref="Retention.RetentionOptions.EvidenceAfterReview"/>).</summary>
    [Id(5)] public ImmutableList<EvidenceDeletion> EvidenceDeletions { get; init; } = [];

    /// <summary>Closed registrations waiting for the end of their retention.</summary>
    [Id(6)] public ImmutableList<ScheduledPurge> Purges { get; init; } = [];

    /// <summary>Refused attempts waiting for the end of their retention (Retention:AfterRefusal).</summary>
    [Id(7)] public ImmutableList<RefusalPurge> RefusalPurges { get; init; } = [];
}
