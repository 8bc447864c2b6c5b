using Google.Protobuf;
using RealName.Contracts.V1;
using RealName.Gateway.Identity;
using RealName.Grains;
using GrainPerson = RealName.Grains.Subscribers.PersonEvidence;
using GrainOwner = RealName.Grains.Subscribers.SubscriberOwner;

namespace RealName.Gateway.Validation;

/// <summary>
/// Checks the people, documents and images of a request and turns them into grain messages. This is
/// where a document number is seen in clear for the last time: only its keyed hash and masked forms go on.
/// </summary>
public sealed class EvidenceReader(IdentityProtector identities, DateOnly today, Violations violations)
{
    /// <summary>Largest image accepted at the gateway; the face engine applies its own byte and pixel gates too.</summary>
    public const int MaxImageBytes = 15 * 1024 * 1024;

    public GrainPerson? Person(PersonEvidence? person, string field, bool requireImages = true)
    {
        if (person is null)
        {
            violations.Add(field, "required");
            return null;
        }

        var before = violations.Count;
        var owner = Owner(person.Document, $"{field}.document", out var birth);
        if (requireImages)
        {
            Image(person.PortraitImage, $"{field}.portrait_image");
            Image(person.LiveImage, $"{field}.live_image");
        }

        return violations.Count > before || owner is null
            ? null
            : new GrainPerson(owner, birth, person.PortraitImage.ToByteArray(), person.LiveImage.ToByteArray());
    }

    public GrainOwner? Owner(IdentityDocument? document, string field, out DateOnly? birth)
    {
        birth = null;
        var checkedDocument = DocumentRules.Check(document, today, violations, field);
        if (checkedDocument is null)
        {
            return null;
        }

        if (checkedDocument.BirthDate is null)
        {
            // The minor rule needs it; resident-style numbers embed it, other documents must state it.
            violations.Add($"{field}.birth_date", "required for this document type (YYYY-MM-DD)");
            return null;
        }

        birth = checkedDocument.BirthDate;
        return new GrainOwner(
            identities.IdentityKey(checkedDocument.Kind, checkedDocument.Number),
            checkedDocument.Kind,
            IdentityProtector.MaskNumber(checkedDocument.Number),
            IdentityProtector.MaskName(checkedDocument.Name));
    }

    public byte[]? Image(ByteString image, string field)
    {
        if (image.IsEmpty)
        {
            violations.Add(field, "required: a JPEG or PNG image");
            return null;
        }

        if (image.Length > MaxImageBytes)
        {
            violations.Add(field, $"IMAGE_TOO_LARGE: at most {MaxImageBytes} bytes");
            return null;
        }

        return image.ToByteArray();
    }

    public static void PhoneNumber(string phoneNumber, Violations violations, string field = "phone_number")
    {
        if (!PhoneNumbers.IsValid(phoneNumber))
        {
            violations.Add(field, "INVALID_PHONE_NUMBER: 11 digits starting with 1[3-9] are required");
        }
    }

    public static void RequestKey(string key, string field, Violations violations)
    {
        if (key.Length is < 8 or > 128)
        {
            violations.Add(field, "required: 8 to 128 characters");
        }
    }

    public static Grains.CardType CardType(Contracts.V1.CardType cardType) => cardType switch
    {
        Contracts.V1.CardType.Corporate => Grains.CardType.Corporate,
        Contracts.V1.CardType.Iot => Grains.CardType.Iot,
        _ => Grains.CardType.Personal,
    };
}
