using System.Security.Cryptography;
using System.Text;
using RealName.Grains;
using RealName.Grains.Subscribers;
using RealName.IntegrationTests.Infrastructure;
using RealName.Rules;

namespace RealName.IntegrationTests.Grains;

/// <summary>Grain-level registration requests with real photos.</summary>
internal static class GrainRequests
{
    private static int next = 500_000;

    public static string NewPhoneNumber() => $"139{Interlocked.Increment(ref next):D8}";

    public static string NewIdentityKey() => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Guid.NewGuid().ToString())));

    public static ChannelFacts Retail(string outlet = "SH-001", string carrier = "cmcc") => new(ChannelKind.Retail, carrier, "310000", outlet, "clerk-1", "reader-1");

    public static ChannelFacts Online() => new(ChannelKind.Online, "cmcc", "310000", "app-store", "online-flow", "sdk-7");

    public static PersonEvidence Person(string identityKey, DateOnly? birth = null, FaceSet? face = null, string? live = null)
    {
        face ??= Faces.CardHolder;
        return new PersonEvidence(
            new SubscriberOwner(identityKey, DocumentKind.ResidentId, "310*************12", "王*"),
            birth ?? new DateOnly(1985, 6, 15),
            Faces.Image(face.Portrait).ToByteArray(),
            Faces.Image(live ?? face.Live).ToByteArray());
    }

    /// <summary>A passed attestation of the test liveness SDK for <paramref name="phoneNumber"/>, signed on the cluster's fake clock.</summary>
    public static LivenessAttestation SignedLiveness(string phoneNumber, TimeSpan? age = null)
    {
        var at = GrainClusterFixture.Clock.GetUtcNow() - (age ?? TimeSpan.Zero);
        var session = "s-" + Guid.NewGuid().ToString("N")[..10];
        return new LivenessAttestation(LivenessSdk.Provider, session, true, 0.97)
        {
            SignedAt = at,
            KeyId = LivenessSdk.KeyId,
            Signature = LivenessSdk.Sign(LivenessSdk.Payload(LivenessSdk.Provider, LivenessSdk.KeyId, session, true, 0.97, at.ToUnixTimeSeconds(), phoneNumber)),
        };
    }

    public static RegistrationRequest Personal(string identityKey, ChannelFacts? channel = null, FaceSet? face = null, string? live = null) =>
        new(Guid.NewGuid().ToString("N"), CardType.Personal, channel ?? Retail(), Person(identityKey, face: face, live: live), null, null, null, null, null)
        {
            Consent = Consent(),
            RiskNotice = RiskNotice(),
        };

    /// <summary>The customer's acknowledgement of the fraud-risk notice, on the cluster's fake clock.</summary>
    public static FraudRiskNotice RiskNotice() => new("fraud-2021.1", GrainClusterFixture.Clock.GetUtcNow(), "ack-" + Guid.NewGuid().ToString("N")[..12]);

    /// <summary>The customer's consent to face processing, given on the cluster's fake clock.</summary>
    public static FaceProcessingConsent Consent() =>
        new("consent-" + Guid.NewGuid().ToString("N")[..12], "face-2026.1", GrainClusterFixture.Clock.GetUtcNow());
}
