using System.Collections.Immutable;

namespace RealName.Grains.Identities;

/// <summary>A stored face template (embedding of the model version that made it).</summary>
[Alias("RealName.Grains.Identities.StoredTemplate")]
[GenerateSerializer, Immutable]
public sealed record StoredTemplate(
    [property: Id(0)] float[] Embedding,
    [property: Id(1)] string ModelVersion);

/// <summary>The identity's enrolled faces from its verified registration: the document portrait and the live face.</summary>
[Alias("RealName.Grains.Identities.Enrollment")]
[GenerateSerializer, Immutable]
public sealed record Enrollment(
    [property: Id(0)] StoredTemplate Portrait,
    [property: Id(1)] StoredTemplate Live,
    [property: Id(2)] DateTimeOffset EnrolledAt);

/// <summary>A number held under an identity.</summary>
[Alias("RealName.Grains.Identities.HeldNumber")]
[GenerateSerializer, Immutable]
public sealed record HeldNumber(
    [property: Id(0)] string PhoneNumber,
    [property: Id(1)] string CarrierId,
    [property: Id(2)] bool Confirmed,
    [property: Id(3)] DateTimeOffset Since);

/// <summary>Answer to a quota reservation.</summary>
[Alias("RealName.Grains.Identities.ReservationResult")]
[GenerateSerializer, Immutable]
public sealed record ReservationResult(
    [property: Id(0)] bool Granted,
    [property: Id(1)] int HeldAtCarrier,
    [property: Id(2)] int Limit);

/// <summary>Outcome of a holder check (一证通查): the face result, and the numbers when it passed.</summary>
[Alias("RealName.Grains.Identities.HolderVerification")]
[GenerateSerializer, Immutable]
public sealed record HolderVerification(
    [property: Id(0)] Subscribers.FaceSummary? Face,
    [property: Id(1)] Subscribers.Refusal? Refusal,
    [property: Id(2)] ImmutableList<HeldNumber> Numbers);

/// <summary>
/// One identity (grain key: the keyed HMAC of document type and number; never the number). Holds the
/// numbers registered under it and its enrolled face templates; enforces the per-identity limit
/// atomically, because all reservations for one identity run one at a time in this grain.
/// </summary>
[Alias("RealName.Grains.Identities.IIdentityGrain")]
public interface IIdentityGrain : IGrainWithStringKey
{
    /// <summary>Reserves a place for the number at the carrier if fewer than the limit are held there (tentative until confirmed).</summary>
    Task<ReservationResult> Reserve(string phoneNumber, string carrierId, int limit);

    /// <summary>Makes a reservation permanent, records the document facts (kind, masked number and name) and, for a
    /// verified registration, enrolls the faces if none are enrolled. Returns the identity's other held numbers when
    /// this one made it reach <paramref name="manyCardsThreshold"/>.</summary>
    Task<ImmutableList<string>> Confirm(string phoneNumber, Subscribers.SubscriberOwner document, Enrollment? enrollment, int manyCardsThreshold);

    /// <summary>The document facts recorded at the first confirmed registration (never the plain number).</summary>
    Task<Subscribers.SubscriberOwner?> GetDocument();

    /// <summary>Frees the number's place (cancelled, rejected, refused after reservation).</summary>
    Task Release(string phoneNumber);

    Task<Enrollment?> GetEnrollment();

    Task<ImmutableList<HeldNumber>> GetNumbers();

    /// <summary>Proves the caller is the holder (live photo vs the enrolled face) before listing the numbers; audited.</summary>
    Task<HolderVerification> VerifyHolder(byte[] live, ChannelFacts channel, string requestId);
}
