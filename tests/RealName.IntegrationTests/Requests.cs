using RealName.Contracts.V1;
using RealName.IntegrationTests.Infrastructure;

namespace RealName.IntegrationTests;

/// <summary>Well-formed requests for the tests; each call gets a fresh phone number and idempotency key.</summary>
internal static class Requests
{
    private static int nextPhone = 200_000;
    private static long nextIdentity = 1_000;

    public static string NewPhoneNumber() => $"137{Interlocked.Increment(ref nextPhone):D8}";

    /// <summary>A resident ID with a correct GB 11643 check digit for the given 17 leading digits.</summary>
    public static string ResidentId(string first17)
    {
        int[] weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
        var sum = first17.Select((c, i) => (c - '0') * weights[i]).Sum();
        return first17 + "10X98765432"[sum % 11];
    }

    /// <summary>Every document number the tests sent, so a test can prove none reached the database.</summary>
    public static System.Collections.Concurrent.ConcurrentBag<string> IssuedDocumentNumbers { get; } = [];

    /// <summary>A fresh, valid resident ID of an adult born in 1985 (a new identity per call).</summary>
    public static string NewResidentId(string birth = "19850615")
    {
        var number = ResidentId($"310104{birth}{Interlocked.Increment(ref nextIdentity) % 1000:D3}");
        IssuedDocumentNumbers.Add(number);
        return number;
    }

    public static IdentityDocument Document(string number, string name = "王小明") => new()
    {
        Type = DocumentType.ResidentId,
        Number = number,
        Name = name,
        ValidUntil = "2035-01-01",
    };

    public static PersonEvidence Person(string documentNumber, FaceSet? face = null, string? live = null, string name = "王小明")
    {
        face ??= Faces.CardHolder;
        return new PersonEvidence
        {
            Document = Document(documentNumber, name),
            PortraitImage = Faces.Image(face.Portrait),
            LiveImage = Faces.Image(live ?? face.Live),
        };
    }

    public static ChannelContext Retail(string outlet = "SH-001", string clerk = "clerk-1", string carrier = "cmcc") => new()
    {
        Kind = ChannelKind.Retail,
        CarrierId = carrier,
        Region = "310000",
        OutletId = outlet,
        ClerkId = clerk,
        DeviceId = "reader-1",
    };

    public static RegisterSubscriberRequest Register(string phone, string? idNumber = null, string outlet = "SH-001", FaceSet? face = null, string? live = null, string carrier = "cmcc") => new()
    {
        PhoneNumber = phone,
        Customer = Person(idNumber ?? NewResidentId(), face, live),
        Channel = Retail(outlet, carrier: carrier),
        IdempotencyKey = Guid.NewGuid().ToString("N"),
        Consent = Consent(),
        RiskNotice = RiskNotice(),
    };

    /// <summary>The customer's consent to face processing, given a minute ago on the channel.</summary>
    public static FaceProcessingConsent Consent() => new()
    {
        ConsentId = "consent-" + Guid.NewGuid().ToString("N")[..12],
        TextVersion = "face-2026.1",
        ConsentedAt = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow.AddMinutes(-1)),
    };

    /// <summary>The customer's acknowledgement of the fraud-risk notice, a minute ago, with the channel's record of it.</summary>
    public static FraudRiskNotice RiskNotice() => new()
    {
        NoticeVersion = "fraud-2021.1",
        AcknowledgedAt = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow.AddMinutes(-1)),
        AcknowledgementReference = "ack-" + Guid.NewGuid().ToString("N")[..12],
    };

    /// <summary>
    /// The holder's face proof for an identity, through a retail channel of cmcc, with the SDK's signed liveness
    /// attestation for <paramref name="phone"/> (the number the request is about; "" for ListNumbers).
    /// </summary>
    public static HolderProof Proof(string documentNumber, string live, ChannelContext? channel = null, string phone = "") => new()
    {
        Document = Document(documentNumber),
        LiveImage = Faces.Image(live),
        Channel = channel ?? Retail(),
        Liveness = LivenessSdk.Attest(phone),
    };
}
