using RealName.Rules;
using System.Collections.Immutable;

namespace RealName.Grains.Subscribers;

/// <summary>
/// A person taking part in a registration (customer, agent or guardian): their protected identity,
/// birth date (for the minor rule), the document's last valid day (expiry is re-checked by the grain)
/// and the two images compared: the document portrait and a live photo.
/// </summary>
[Alias("RealName.Grains.Subscribers.PersonEvidence")]
[GenerateSerializer, Immutable]
public sealed record PersonEvidence(
    [property: Id(0)] SubscriberOwner Identity,
    [property: Id(1)] DateOnly? BirthDate,
    [property: Id(2)] byte[] Portrait,
    [property: Id(3)] byte[] Live)
{
    /// <summary>Last day the document is valid (null: no expiry, e.g. a long-term card).</summary>
    [Id(4)] public DateOnly? ValidUntil { get; init; }

    /// <summary>The person as the rule book sees them (dates only).</summary>
    public PersonFacts Facts => new(BirthDate, ValidUntil);

    /// <summary>Keys the same person's document had under an earlier key scheme; their numbers count toward the limit.</summary>
    [Id(5)] public ImmutableList<string> FormerIdentityKeys { get; init; } = [];
}

/// <summary>
/// The online channel SDK's liveness result, recorded and enforced by channel policy. The SDK signs it
/// (<see cref="Signature"/> over <c>LivenessPayload</c>, made at <see cref="SignedAt"/> with the provider's key <see cref="KeyId"/>).
/// </summary>
[Alias("RealName.Grains.Subscribers.LivenessAttestation")]
[GenerateSerializer, Immutable]
public sealed record LivenessAttestation(
    [property: Id(0)] string Provider,
    [property: Id(1)] string SessionId,
    [property: Id(2)] bool Passed,
    [property: Id(3)] double Score)
{
    [Id(4)] public DateTimeOffset? SignedAt { get; init; }

    [Id(5)] public string KeyId { get; init; } = "";

    [Id(6)] public byte[] Signature { get; init; } = [];
}

/// <summary>The enterprise behind a corporate or IoT card.</summary>
[Alias("RealName.Grains.Subscribers.EnterpriseFacts")]
[GenerateSerializer, Immutable]
public sealed record EnterpriseFacts(
    [property: Id(0)] string CreditCode,
    [property: Id(1)] string Name);

/// <summary>Functions an IoT card may use (function limits).</summary>
[Alias("RealName.Grains.Subscribers.IotProfile")]
[GenerateSerializer, Immutable]
public sealed record IotProfile(
    [property: Id(0)] bool Voice,
    [property: Id(1)] bool Sms,
    [property: Id(2)] bool DirectionalDataOnly,
    [property: Id(3)] int MonthlyDataMb);

/// <summary>The customer's separate consent to face processing: the channel's consent record id, the text version, when.</summary>
[Alias("RealName.Grains.Subscribers.FaceProcessingConsent")]
[GenerateSerializer, Immutable]
public sealed record FaceProcessingConsent(
    [property: Id(0)] string ConsentId,
    [property: Id(1)] string TextVersion,
    [property: Id(2)] DateTimeOffset ConsentedAt);

/// <summary>The customer's acknowledgement of the fraud-risk notice: the notice version, when, and the channel's record of it (online).</summary>
[Alias("RealName.Grains.Subscribers.FraudRiskNotice")]
[GenerateSerializer, Immutable]
public sealed record FraudRiskNotice(
    [property: Id(0)] string NoticeVersion,
    [property: Id(1)] DateTimeOffset AcknowledgedAt,
    [property: Id(2)] string AcknowledgementReference);

/// <summary>Everything a registration needs. <see cref="Customer"/> may be absent only for an IoT card without general data use.</summary>
[Alias("RealName.Grains.Subscribers.RegistrationRequest")]
[GenerateSerializer, Immutable]
public sealed record RegistrationRequest(
    [property: Id(0)] string IdempotencyKey,
    [property: Id(1)] CardType CardType,
    [property: Id(2)] ChannelFacts Channel,
    [property: Id(3)] PersonEvidence? Customer,
    [property: Id(4)] PersonEvidence? Agent,
    [property: Id(5)] PersonEvidence? Guardian,
    [property: Id(6)] LivenessAttestation? Liveness,
    [property: Id(7)] EnterpriseFacts? Enterprise,
    [property: Id(8)] IotProfile? Iot)
{
    /// <summary>The customer's consent to face processing; required whenever <see cref="ProcessesFaces"/>.</summary>
    [Id(9)] public FaceProcessingConsent? Consent { get; init; }

    /// <summary>The customer's acknowledgement of the fraud-risk notice; required on every registration.</summary>
    [Id(10)] public FraudRiskNotice? RiskNotice { get; init; }

    /// <summary>
    /// A digest of the request as the caller sent it (the gateway's <c>RequestFingerprint</c>), remembered with its
    /// idempotency key: a retry under the key with another digest is a conflict, not a replay. Empty: not compared.
    /// </summary>
    [Id(11)] public string Fingerprint { get; init; } = "";

    /// <summary>The acknowledgement as the rule book's <see cref="RiskNoticeRules"/> sees it.</summary>
    public RiskNoticeInput? RiskNoticeFacts => RiskNotice is { } n ? new RiskNoticeInput(n.NoticeVersion, n.AcknowledgedAt, n.AcknowledgementReference) : null;

    /// <summary>True when the request carries a person whose face is compared (customer, agent or guardian).</summary>
    public bool ProcessesFaces => Customer is not null || Agent is not null || Guardian is not null;

    /// <summary>The consent as the rule book's <see cref="ConsentRules"/> sees it.</summary>
    public ConsentInput? ConsentFacts => Consent is { } c ? new ConsentInput(c.ConsentId, c.TextVersion, c.ConsentedAt) : null;

    /// <summary>What the rule book's <see cref="RegistrationPolicy"/> needs to know about this request.</summary>
    public RegistrationFacts Facts => new(
        CardType,
        Channel.Kind,
        Customer?.Facts,
        Agent?.Facts,
        Guardian?.Facts,
        Enterprise is not null,
        Iot is { } iot ? new IotUsage(iot.DirectionalDataOnly, iot.MonthlyDataMb) : null,
        Liveness is { } liveness ? new LivenessResult(liveness.Passed, liveness.Score) : null);
}
