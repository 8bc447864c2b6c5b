using System.Collections.Immutable;

namespace RealName.Grains.Subscribers;

/// <summary>One state change or decision in a number's life, oldest first in <see cref="SubscriberRecord.History"/>.</summary>
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
[GenerateSerializer, Immutable]
public sealed record SubscriberOwner(
    [property: Id(0)] string IdentityKey,
    [property: Id(1)] DocumentKind DocumentKind,
    [property: Id(2)] string MaskedDocumentNumber,
    [property: Id(3)] string MaskedName);

/// <summary>The registration record of a phone number.</summary>
[GenerateSerializer, Immutable]
public sealed record SubscriberRecord(
    [property: Id(0)] string PhoneNumber,
    [property: Id(1)] SubscriberStatus Status,
    [property: Id(2)] SubscriberOwner Owner,
    [property: Id(3)] ChannelFacts RegisteredBy,
    [property: Id(4)] DateTimeOffset RegisteredAt,
    [property: Id(5)] ImmutableList<HistoryEntry> History);
