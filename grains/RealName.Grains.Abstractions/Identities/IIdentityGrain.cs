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

/// <summary>A registration's number to make permanent under the identity (see <see cref="IIdentityGrain.Confirm"/>).</summary>
[Alias("RealName.Grains.Identities.IdentityConfirmation")]
[GenerateSerializer, Immutable]
public sealed record IdentityConfirmation(
    [property: Id(0)] string PhoneNumber,
    [property: Id(1)] string CarrierId,
    [property: Id(2)] Subscribers.SubscriberOwner Document,
    [property: Id(3)] Enrollment? Enrollment,
    [property: Id(4)] int Limit,
    [property: Id(5)] int ManyCardsThreshold);

/// <summary>
/// Answer to a confirmation: <see cref="Held"/> is false when the number's reservation had expired and its place
/// was taken meanwhile (the identity already holds the limit at the carrier); the number is then not counted and
/// the registration must go to review. <see cref="ManyCardsOthers"/> lists the identity's other numbers when this
/// one made it reach the many-cards threshold.
/// </summary>
[Alias("RealName.Grains.Identities.ConfirmationResult")]
[GenerateSerializer, Immutable]
public sealed record ConfirmationResult(
    [property: Id(0)] bool Held,
    [property: Id(1)] int HeldAtCarrier,
    [property: Id(2)] ImmutableList<string> ManyCardsOthers);

/// <summary>A self-service proof of being the holder: a live photo, the channel and its liveness attestation.</summary>
[Alias("RealName.Grains.Identities.HolderCheck")]
[GenerateSerializer, Immutable]
public sealed record HolderCheck(
    [property: Id(0)] byte[] Live,
    [property: Id(1)] ChannelFacts Channel,
    [property: Id(2)] Subscribers.LivenessAttestation? Liveness,
    [property: Id(3)] string PhoneNumber,
    [property: Id(4)] string RequestId)
{
    /// <summary>The document's keys under earlier key schemes and HMAC key versions (adopted before the check).</summary>
    [Id(5)] public ImmutableList<string> FormerKeys { get; init; } = [];
}

/// <summary>Outcome of a holder check (一证通查): the face result, and the numbers when it passed.</summary>
[Alias("RealName.Grains.Identities.HolderVerification")]
[GenerateSerializer, Immutable]
public sealed record HolderVerification(
    [property: Id(0)] Subscribers.FaceSummary? Face,
    [property: Id(1)] Subscribers.Refusal? Refusal,
    [property: Id(2)] ImmutableList<HeldNumber> Numbers);

/// <summary>
/// What an identity grain hands over to the grain of the same person's newer key (see <see cref="IIdentityGrain.HandOver"/>).
/// </summary>
[Alias("RealName.Grains.Identities.IdentityHandOver")]
[GenerateSerializer, Immutable]
public sealed record IdentityHandOver(
    [property: Id(0)] ImmutableList<HeldNumber> Numbers,
    [property: Id(1)] Enrollment? Enrollment,
    [property: Id(2)] Subscribers.SubscriberOwner? Document,
    [property: Id(3)] ImmutableList<DateTimeOffset> FailedProofs,
    [property: Id(4)] DateTimeOffset? SelfServiceLockedUntil);

/// <summary>
/// One identity (grain key: the keyed HMAC of document type and number; never the number). Holds the
/// numbers registered under it and its enrolled face templates; enforces the per-identity limit
/// atomically, because all reservations for one identity run one at a time in this grain.
/// </summary>
[Alias("RealName.Grains.Identities.IIdentityGrain")]
public interface IIdentityGrain : IGrainWithStringKey
{
    /// <summary>
    /// Reserves a place for the number at the carrier if fewer than the limit are held there (tentative until
    /// confirmed). What is held under <paramref name="formerKeys"/> (the same person's keys of an earlier key
    /// scheme or HMAC key version) is adopted first, so it counts too.
    /// </summary>
    Task<ReservationResult> Reserve(string phoneNumber, string carrierId, int limit, ImmutableList<string>? formerKeys = null);

    /// <summary>Numbers held or reserved at the carrier (reservations that have not timed out count).</summary>
    Task<int> HeldAt(string carrierId);

    /// <summary>Makes a reservation permanent, records the document facts (kind, masked number and name) and, for a
    /// verified registration, enrolls the faces if none are enrolled. A reservation that expired meanwhile is added
    /// again if the limit allows; otherwise the answer says it is not held (never silently skipped).</summary>
    Task<ConfirmationResult> Confirm(IdentityConfirmation confirmation);

    /// <summary>The document facts recorded at the first confirmed registration (never the plain number).</summary>
    Task<Subscribers.SubscriberOwner?> GetDocument();

    /// <summary>Frees the number's place (cancelled, rejected, refused after reservation).</summary>
    Task Release(string phoneNumber);

    /// <summary>The enrolled faces, after adopting what <paramref name="formerKeys"/> hold (see <see cref="Reserve"/>).</summary>
    Task<Enrollment?> GetEnrollment(ImmutableList<string>? formerKeys = null);

    /// <summary>
    /// The retention of <paramref name="phoneNumber"/> ended: it no longer counts, and when the identity holds no
    /// other number its enrolled faces, masked document and self-service history are purged (true).
    /// </summary>
    Task<bool> PurgeUnlessHeld(string phoneNumber);

    Task<ImmutableList<HeldNumber>> GetNumbers();

    /// <summary>
    /// Replaces an enrolment made by another face model with <paramref name="fresh"/> (from a verified contact: a
    /// re-review that compared the document portrait with the live face). An enrolment of the same model stays.
    /// </summary>
    Task ReEnroll(Enrollment fresh);

    /// <summary>
    /// Proves the caller is the holder (verified liveness attestation, live photo vs the enrolled face) before
    /// listing the numbers; audited. After too many failed face proofs the identity's self-service is locked for a while.
    /// </summary>
    Task<HolderVerification> VerifyHolder(HolderCheck check, CancellationToken cancellationToken = default);

    /// <summary>
    /// Lazy re-keying: the grain of the same person's newer key (<paramref name="successorKey"/>) takes over what
    /// is held here. From then on every call here is forwarded to the successor. Null when nothing is held here or
    /// it was already handed to another successor. Repeatable: the data stays until <see cref="ForgetHandedOver"/>.
    /// </summary>
    Task<IdentityHandOver?> HandOver(string successorKey);

    /// <summary>The successor stored what was handed over: the copy here is deleted (the forwarding stays).</summary>
    Task ForgetHandedOver(string successorKey);
}
