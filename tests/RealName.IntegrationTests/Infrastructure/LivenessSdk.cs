using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using RealName.Contracts.V1;

namespace RealName.IntegrationTests.Infrastructure;

/// <summary>
/// Plays the online channel's liveness SDK: a P-256 key pair made for this test run (the grid is configured
/// with its public key only) signing attestations. The payload is written out here from the proto's
/// description, independently of the grid's own code, so a change of the signed format fails the tests.
/// </summary>
public static class LivenessSdk
{
    public const string Provider = "test-sdk";
    public const string KeyId = "k1";

    private static readonly ECDsa Key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    /// <summary>Base64 DER SubjectPublicKeyInfo of the SDK's public key.</summary>
    public static string PublicKey { get; } = Convert.ToBase64String(Key.ExportSubjectPublicKeyInfo());

    /// <summary>Configuration keys that make a silo trust this SDK (merge into its settings).</summary>
    public static IReadOnlyDictionary<string, string> SiloSettings { get; } = new Dictionary<string, string>
    {
        [$"Liveness:Providers:{Provider}:Keys:{KeyId}"] = PublicKey,
    };

    /// <summary>The SDK's private key as PKCS#8 PEM (for signing with another tool, e.g. openssl).</summary>
    public static string PrivateKeyPem() => Key.ExportPkcs8PrivateKeyPem();

    /// <summary>The signed payload of the proto's LivenessAttestation comment.</summary>
    public static byte[] Payload(string provider, string keyId, string sessionId, bool passed, double score, long signedAtSeconds, string phoneNumber) =>
        Encoding.UTF8.GetBytes(string.Join('\n',
            "realname.v1.LivenessAttestation", provider, keyId, sessionId, passed ? "true" : "false",
            score.ToString("0.000000", CultureInfo.InvariantCulture), signedAtSeconds.ToString(CultureInfo.InvariantCulture), phoneNumber));

    public static byte[] Sign(byte[] payload, ECDsa? key = null) =>
        (key ?? Key).SignData(payload, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);

    /// <summary>A passed attestation for <paramref name="phoneNumber"/> ("" for ListNumbers), signed now (or at <paramref name="signedAt"/>).</summary>
    public static LivenessAttestation Attest(string phoneNumber, DateTimeOffset? signedAt = null, double score = 0.97)
    {
        var at = signedAt ?? DateTimeOffset.UtcNow;
        var sessionId = "sess-" + Guid.NewGuid().ToString("N")[..12];
        return new LivenessAttestation
        {
            Provider = Provider,
            KeyId = KeyId,
            SessionId = sessionId,
            Passed = true,
            Score = score,
            SignedAt = Timestamp.FromDateTimeOffset(at),
            Signature = ByteString.CopyFrom(Sign(Payload(Provider, KeyId, sessionId, true, score, at.ToUnixTimeSeconds(), phoneNumber))),
        };
    }
}
