using System.Collections.Frozen;
using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using RealName.Grains.Subscribers;

namespace RealName.Grains.Liveness;

/// <summary>
/// Verifies that a liveness attestation comes from its provider's SDK: an ECDSA P-256 / SHA-256 signature
/// (DER) over <see cref="LivenessPayload"/> by a configured key, made no longer ago than the allowed age.
/// Providers whose policy does not require signatures are accepted as they are.
/// </summary>
public sealed class LivenessVerifier : IDisposable
{
    private readonly LivenessOptions options;
    private readonly TimeProvider clock;
    private readonly FrozenDictionary<string, Provider> providers;

    public LivenessVerifier(IOptions<LivenessOptions> options, TimeProvider clock)
    {
        this.options = options.Value;
        this.clock = clock;
        providers = this.options.Providers.ToFrozenDictionary(
            p => p.Key,
            p => new Provider(p.Value.RequireSignature ?? this.options.RequireSignature, p.Value.Keys.ToFrozenDictionary(k => k.Key, k => Import(p.Key, k.Key, k.Value), StringComparer.Ordinal)),
            StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>Null when the attestation is verified (or its provider's policy does not ask for it); otherwise a LIVENESS_UNVERIFIED refusal.</summary>
    public Refusal? Verify(LivenessAttestation attestation, string phoneNumber)
    {
        providers.TryGetValue(attestation.Provider, out var provider);
        if (!(provider?.RequireSignature ?? options.RequireSignature))
        {
            return null;
        }

        if (attestation.Signature.Length == 0 || attestation.SignedAt is not { } signedAt)
        {
            return Unverified("UNSIGNED", "The liveness attestation carries no signature or signing time.");
        }

        if (provider is null || !provider.Keys.TryGetValue(attestation.KeyId, out var key))
        {
            return Unverified("UNKNOWN_KEY", "No public key is configured for this liveness provider and key id.");
        }

        var now = clock.GetUtcNow();
        if (now - signedAt > options.MaxAge || signedAt - now > options.ClockSkew)
        {
            return Unverified("STALE", $"The liveness attestation was signed outside the accepted window ({options.MaxAge} old at most).");
        }

        var payload = LivenessPayload.Bytes(attestation, signedAt, phoneNumber);
        return payload is not null && key.VerifyData(payload, attestation.Signature, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence)
            ? null
            : Unverified("BAD_SIGNATURE", "The liveness attestation's signature does not verify.");
    }

    /// <summary>Start-up check of the configured keys: throws with the offending setting's name, so a bad key stops the silo.</summary>
    public static bool KeysAreUsable(LivenessOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        foreach (var (provider, settings) in options.Providers)
        {
            foreach (var (keyId, key) in settings.Keys)
            {
                Import(provider, keyId, key).Dispose();
            }
        }

        return true;
    }

    public void Dispose()
    {
        foreach (var key in providers.Values.SelectMany(p => p.Keys.Values))
        {
            key.Dispose();
        }
    }

    private static Refusal Unverified(string problem, string message) =>
        new(RefusalCodes.LivenessUnverified, message) { Details = ImmutableDictionary<string, string>.Empty.Add("problem", problem) };

    private static ECDsa Import(string provider, string keyId, string base64)
    {
        var key = ECDsa.Create();
        try
        {
            key.ImportSubjectPublicKeyInfo(Convert.FromBase64String(base64), out _);
        }
        catch (Exception ex) when (ex is FormatException or CryptographicException)
        {
            key.Dispose();
            throw new InvalidOperationException($"Liveness:Providers:{provider}:Keys:{keyId} is not a base64 DER SubjectPublicKeyInfo.", ex);
        }

        if (key.KeySize != 256)
        {
            key.Dispose();
            throw new InvalidOperationException($"Liveness:Providers:{provider}:Keys:{keyId} must be an ECDSA P-256 key.");
        }

        return key;
    }

    private sealed record Provider(bool RequireSignature, FrozenDictionary<string, ECDsa> Keys);
}
