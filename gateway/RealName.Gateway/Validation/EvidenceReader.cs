using System.Collections.Immutable;
using Google.Protobuf;
using RealName.Contracts.V1;
using RealName.Gateway.Identity;
using RealName.Grains;
using RealName.Rules;
using GrainPerson = RealName.Grains.Subscribers.PersonEvidence;
using GrainOwner = RealName.Grains.Subscribers.SubscriberOwner;

namespace RealName.Gateway.Validation;

/// <summary>
/// Reads the people, documents, channel and enterprise of a request through the rule book and turns them
/// into grain messages. This is where a document number is seen in clear for the last time: only its keyed
/// hash and masked forms go on (with the document's kind, birth date and last valid day, which the grains
/// re-check).
/// </summary>
public sealed class EvidenceReader(IdentityProtector identities, DateOnly today, Violations violations)
{
    /// <summary>Largest image accepted at the gateway; the face engine applies its own byte and pixel gates too.</summary>
    public const int MaxImageBytes = 15 * 1024 * 1024;

    public GrainPerson? Person(PersonEvidence? person, string field, bool requireImages = true)
    {
        if (person is null)
        {
            violations.Add(new RuleViolation(ReasonCode.FieldRequired, field, "required"));
            return null;
        }

        var before = violations.Count;
        var document = Document(person.Document, $"{field}.document");
        if (requireImages)
        {
            Image(person.PortraitImage, $"{field}.portrait_image");
            Image(person.LiveImage, $"{field}.live_image");
        }

        return violations.Count > before || document is null
            ? null
            : new GrainPerson(Owner(document), document.BirthDate, person.PortraitImage.ToByteArray(), person.LiveImage.ToByteArray())
            {
                ValidUntil = document.ValidUntil,
                FormerIdentityKeys = identities.FormerIdentityKeys(document.Kind, document.Number),
            };
    }

    /// <summary>The document through <see cref="DocumentRules"/>; null (with its violations added) when a rule refuses it.</summary>
    public CheckedDocument? Document(IdentityDocument? document, string field)
    {
        if (document is null)
        {
            violations.Add(new RuleViolation(ReasonCode.FieldRequired, field, "required"));
            return null;
        }

        var (checkedDocument, found) = DocumentRules.Check(
            new DocumentInput(Kind(document.Type), document.Number, document.Name, document.BirthDate, document.ValidUntil), today, field);
        violations.AddRange(found);
        return checkedDocument;
    }

    /// <summary>The protected form of a checked document: identity key (keyed HMAC) and masked number and name.</summary>
    public GrainOwner Owner(CheckedDocument document) => new(
        identities.IdentityKey(document.Kind, document.Number),
        document.Kind,
        PersonalDataMasks.Number(document.Number),
        PersonalDataMasks.Name(document.Name));

    public byte[]? Image(ByteString image, string field)
    {
        if (image.IsEmpty)
        {
            violations.Add(new RuleViolation(ReasonCode.FieldRequired, field, "a JPEG or PNG image"));
            return null;
        }

        if (image.Length > MaxImageBytes)
        {
            violations.Add(new RuleViolation(ReasonCode.ImageTooLarge, field, $"at most {MaxImageBytes} bytes"));
            return null;
        }

        return image.ToByteArray();
    }

    /// <summary>The channel facts through <see cref="ChannelRules"/>; null when any is missing or too long.</summary>
    public static ChannelFacts? Channel(ChannelContext? channel, Violations violations, string field = "channel")
    {
        if (channel is null)
        {
            violations.Add(new RuleViolation(ReasonCode.FieldRequired, field, "required"));
            return null;
        }

        var input = new ChannelInput(Kind(channel.Kind), channel.CarrierId, channel.Region, channel.OutletId, channel.ClerkId, channel.DeviceId);
        var found = ChannelRules.Check(input, field);
        violations.AddRange(found);
        if (found.Count > 0 || input.Kind is not { } kind)
        {
            return null;
        }

        var facts = ChannelRules.Normalized(input);
        return new ChannelFacts(kind, facts.CarrierId, facts.Region, facts.OutletId, facts.ClerkId, facts.DeviceId);
    }

    /// <summary>An enterprise's facts through <see cref="CreditCodes"/>; null when absent or invalid.</summary>
    public static Grains.Subscribers.EnterpriseFacts? Enterprise(Enterprise? enterprise, string field, Violations violations)
    {
        if (enterprise is null)
        {
            return null;
        }

        var found = CreditCodes.Check(enterprise.CreditCode, enterprise.Name, field);
        violations.AddRange(found);
        return found.Count > 0 ? null : new Grains.Subscribers.EnterpriseFacts(CreditCodes.Normalize(enterprise.CreditCode), enterprise.Name.Trim());
    }

    /// <summary>The customer's consent to face processing through <see cref="ConsentRules"/>; null when absent or refused.</summary>
    public static Grains.Subscribers.FaceProcessingConsent? Consent(FaceProcessingConsent? consent, bool processesFaces, DateTimeOffset now, Violations violations)
    {
        var consentedAt = Time(consent?.ConsentedAt, "consent.consented_at", violations);
        if (consent?.ConsentedAt is not null && consentedAt is null)
        {
            return null;   // out of range: that violation says it all
        }

        var input = consent is null ? null : new ConsentInput(consent.ConsentId.Trim(), consent.TextVersion.Trim(), consentedAt);
        var violation = ConsentRules.Check(input, processesFaces, now);
        violations.Add(violation);
        return violation is null && input is { ConsentedAt: { } at }
            ? new Grains.Subscribers.FaceProcessingConsent(input.ConsentId, input.TextVersion, at)
            : null;
    }

    /// <summary>The customer's acknowledgement of the fraud-risk notice through <see cref="RiskNoticeRules"/>; null when absent or refused.</summary>
    public static Grains.Subscribers.FraudRiskNotice? RiskNotice(FraudRiskNotice? notice, Rules.ChannelKind? channel, DateTimeOffset now, Violations violations)
    {
        var input = notice is null ? null : new RiskNoticeInput(notice.NoticeVersion.Trim(), Time(notice.AcknowledgedAt, "risk_notice.acknowledged_at", violations), notice.AcknowledgementReference.Trim());
        // Without a valid channel its own violation is reported; the notice is then checked as for a counter.
        var violation = RiskNoticeRules.Check(input, channel ?? Rules.ChannelKind.Retail, now);
        violations.Add(violation);
        return violation is null && input is { AcknowledgedAt: { } at }
            ? new Grains.Subscribers.FraudRiskNotice(input.NoticeVersion, at, input.AcknowledgementReference)
            : null;
    }

    /// <summary>
    /// The liveness attestation as the grains verify it (signature, key id, signing time); null when absent or its
    /// signing time is out of range (a violation on <paramref name="field"/>.signed_at).
    /// </summary>
    public static Grains.Subscribers.LivenessAttestation? Liveness(LivenessAttestation? attestation, string field, Violations violations)
    {
        if (attestation is null)
        {
            return null;
        }

        var signedAt = Time(attestation.SignedAt, field + ".signed_at", violations);
        var scoreInRange = double.IsFinite(attestation.Score) && attestation.Score is >= 0 and <= 1;
        if (!scoreInRange)
        {
            violations.Add(new RuleViolation(ReasonCode.OutOfRange, field + ".score", "a score between 0 and 1"));
        }

        return (attestation.SignedAt is not null && signedAt is null) || !scoreInRange
            ? null
            : new Grains.Subscribers.LivenessAttestation(attestation.Provider, attestation.SessionId, attestation.Passed, attestation.Score)
            {
                SignedAt = signedAt,
                KeyId = attestation.KeyId,
                Signature = attestation.Signature.ToByteArray(),
            };
    }

    /// <summary>A timestamp within the range a DateTimeOffset holds (years 1 to 9999); null when absent or out of range.</summary>
    public static DateTimeOffset? Time(Google.Protobuf.WellKnownTypes.Timestamp? time, string field, Violations violations)
    {
        const long minSeconds = -62_135_596_800;
        const long maxSeconds = 253_402_300_799;
        if (time is null)
        {
            return null;
        }

        if (time.Seconds is < minSeconds or > maxSeconds || time.Nanos is < 0 or > 999_999_999)
        {
            violations.Add(new RuleViolation(ReasonCode.InvalidDate, field, "a time between the years 1 and 9999"));
            return null;
        }

        return time.ToDateTimeOffset();
    }

    public static void PhoneNumber(string phoneNumber, Violations violations, string field = "phone_number") =>
        violations.Add(PhoneNumbers.Check(phoneNumber, field));

    public static void RequestKey(string key, string field, Violations violations) =>
        violations.Add(ChannelRules.CheckRequestKey(key, field));

    /// <summary>The card type (unspecified: personal); a value the contract does not define is a violation on card_type.</summary>
    public static Rules.CardType CardType(Contracts.V1.CardType cardType, Violations violations)
    {
        if (!Enum.IsDefined(cardType))
        {
            violations.Add(new RuleViolation(ReasonCode.FieldRequired, "card_type", "one of CARD_TYPE_PERSONAL, CARD_TYPE_CORPORATE, CARD_TYPE_IOT"));
        }

        return cardType switch
        {
            Contracts.V1.CardType.Corporate => Rules.CardType.Corporate,
            Contracts.V1.CardType.Iot => Rules.CardType.Iot,
            _ => Rules.CardType.Personal,
        };
    }

    internal static DocumentKind? Kind(DocumentType type) => type switch
    {
        DocumentType.ResidentId => DocumentKind.ResidentId,
        DocumentType.TemporaryResidentId => DocumentKind.TemporaryResidentId,
        DocumentType.HouseholdRegister => DocumentKind.HouseholdRegister,
        DocumentType.MilitaryId => DocumentKind.MilitaryId,
        DocumentType.HkMacauPermit => DocumentKind.HongKongMacauPermit,
        DocumentType.TaiwanPermit => DocumentKind.TaiwanPermit,
        DocumentType.ForeignPassport => DocumentKind.ForeignPassport,
        _ => null,
    };

    private static Rules.ChannelKind? Kind(Contracts.V1.ChannelKind kind) => kind switch
    {
        Contracts.V1.ChannelKind.Retail => Rules.ChannelKind.Retail,
        Contracts.V1.ChannelKind.Online => Rules.ChannelKind.Online,
        _ => null,
    };
}
