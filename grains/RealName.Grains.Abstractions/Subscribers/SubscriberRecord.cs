using System.Collections.Immutable;
using RealName.Rules;

namespace RealName.Grains.Subscribers;

/// <summary>One state change or decision in a number's life, oldest first in <see cref="SubscriberRecord.History"/>.</summary>
[Alias("RealName.Grains.Subscribers.HistoryEntry")]
[GenerateSerializer, Immutable]
public sealed record HistoryEntry(
    [property: Id(0)] DateTimeOffset At,
    [property: Id(1)] string Event,
    [property: Id(2)] SubscriberStatus Status,
    [property: Id(3)] ImmutableList<string> Reasons,
    [property: Id(4)] string Actor);

/// <summary>
/// The owner of a number as the grid stores it: a keyed hash of the document, never the number itself,
/// plus masked forms for display.
/// </summary>
[Alias("RealName.Grains.Subscribers.SubscriberOwner")]
[GenerateSerializer, Immutable]
public sealed record SubscriberOwner(
    [property: Id(0)] string IdentityKey,
    [property: Id(1)] DocumentKind DocumentKind,
    [property: Id(2)] string MaskedDocumentNumber,
    [property: Id(3)] string MaskedName);

/// <summary>A running re-review: why, since when, and the deadline after which the number is suspended.</summary>
[Alias("RealName.Grains.Subscribers.ReReviewState")]
[GenerateSerializer, Immutable]
public sealed record ReReviewState(
    [property: Id(0)] ReReviewTrigger Trigger,
    [property: Id(1)] DateTimeOffset StartedAt,
    [property: Id(2)] DateTimeOffset Deadline,
    [property: Id(3)] string? ReviewCaseId)
{
    /// <summary>The kept images of the answer that opened <see cref="ReviewCaseId"/> (Evidence:KeepImages), by their evidence id.</summary>
    [Id(4)] public Guid? EvidenceId { get; init; }

    /// <summary>The request that started it, when one names it (a holder's dispute id): its retry is answered as started.</summary>
    [Id(5)] public string? StartedBy { get; init; }
}

/// <summary>The registration record of a phone number.</summary>
[Alias("RealName.Grains.Subscribers.SubscriberRecord")]
[GenerateSerializer, Immutable]
public sealed record SubscriberRecord(
    [property: Id(0)] string PhoneNumber,
    [property: Id(1)] SubscriberStatus Status,
    [property: Id(2)] SubscriberOwner? Owner,
    [property: Id(3)] ChannelFacts RegisteredBy,
    [property: Id(4)] DateTimeOffset RegisteredAt,
    [property: Id(5)] ImmutableList<HistoryEntry> History)
{
    [Id(6)] public CardType CardType { get; init; } = CardType.Personal;

    /// <summary>Masked identity of the agent (代办) who registered on the owner's behalf, if any.</summary>
    [Id(7)] public SubscriberOwner? Agent { get; init; }

    [Id(8)] public EnterpriseFacts? Enterprise { get; init; }

    [Id(9)] public IotProfile? Iot { get; init; }

    /// <summary>The face comparisons of the registration.</summary>
    [Id(10)] public ImmutableList<FaceSummary> Faces { get; init; } = [];

    [Id(11)] public ReReviewState? ReReview { get; init; }

    /// <summary>Open manual-review case of the registration, while PENDING_REVIEW.</summary>
    [Id(12)] public string? ReviewCaseId { get; init; }

    [Id(13)] public LivenessAttestation? Liveness { get; init; }

    /// <summary>The audit event of the registration; its kept evidence images are filed under it.</summary>
    [Id(14)] public Guid? RegistrationEventId { get; init; }

    /// <summary>Faces enrolled under other identities that the registration's live face matched (1:N), best first.</summary>
    [Id(15)] public ImmutableList<FaceIndex.FaceLink> FaceLinks { get; init; } = [];
}
