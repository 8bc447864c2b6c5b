using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using RealName.Grains;
using RealName.Grains.Liveness;
using RealName.Grains.Subscribers;

namespace RealName.UnitTests;

/// <summary>The liveness signature policy, per provider and global, on a fake clock.</summary>
public sealed class LivenessVerifierTests : IDisposable
{
    private readonly ECDsa sdk = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly FakeTimeProvider clock = new(new DateTimeOffset(2026, 11, 30, 8, 0, 0, TimeSpan.Zero));

    public void Dispose() => sdk.Dispose();

    [Fact]
    public void A_provider_whose_policy_does_not_ask_for_signatures_is_accepted_unsigned_others_are_not()
    {
        using var verifier = Verifier(new LivenessOptions
        {
            Providers = { ["legacy-sdk"] = new LivenessProviderOptions { RequireSignature = false }, ["sdk"] = Keyed() },
        });

        Assert.Null(verifier.Verify(new LivenessAttestation("Legacy-SDK", "s", true, 0.95), "13800138000"));
        Assert.Equal("UNSIGNED", verifier.Verify(new LivenessAttestation("sdk", "s", true, 0.95), "13800138000")?.Details["problem"]);
        Assert.Equal("UNSIGNED", verifier.Verify(new LivenessAttestation("unknown", "s", true, 0.95), "13800138000")?.Details["problem"]);
    }

    [Fact]
    public void With_signatures_off_globally_a_provider_can_still_require_them()
    {
        using var verifier = Verifier(new LivenessOptions
        {
            RequireSignature = false,
            Providers = { ["sdk"] = Keyed(required: true) },
        });

        Assert.Null(verifier.Verify(new LivenessAttestation("other", "s", true, 0.95), "13800138000"));
        Assert.Equal(RefusalCodes.LivenessUnverified, verifier.Verify(new LivenessAttestation("sdk", "s", true, 0.95), "13800138000")?.Code);
    }

    [Fact]
    public void A_signature_is_valid_until_the_maximum_age_and_not_after()
    {
        using var verifier = Verifier(new LivenessOptions { MaxAge = TimeSpan.FromMinutes(2), Providers = { ["sdk"] = Keyed() } });
        var attestation = Signed("13800138000");

        clock.Advance(TimeSpan.FromMinutes(2));
        Assert.Null(verifier.Verify(attestation, "13800138000"));
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal("STALE", verifier.Verify(attestation, "13800138000")?.Details["problem"]);
    }

    [Fact]
    public void A_line_feed_in_a_signed_field_cannot_be_verified()
    {
        using var verifier = Verifier(new LivenessOptions { Providers = { ["sdk"] = Keyed() } });

        var attestation = Signed("13800138000", session: "s\ntrue");

        Assert.Equal("BAD_SIGNATURE", verifier.Verify(attestation, "13800138000")?.Details["problem"]);
    }

    [Fact]
    public void A_key_that_is_not_a_P256_public_key_is_a_configuration_error()
    {
        using var rsa = RSA.Create(2048);
        var options = new LivenessOptions { Providers = { ["sdk"] = new LivenessProviderOptions { Keys = { ["k1"] = Convert.ToBase64String(rsa.ExportSubjectPublicKeyInfo()) } } } };

        Assert.Throws<InvalidOperationException>(() => Verifier(options));
        Assert.Throws<InvalidOperationException>(() => LivenessVerifier.KeysAreUsable(options));
        Assert.True(LivenessVerifier.KeysAreUsable(new LivenessOptions { Providers = { ["sdk"] = Keyed() } }));
        Assert.Throws<InvalidOperationException>(() => Verifier(new LivenessOptions { Providers = { ["sdk"] = new LivenessProviderOptions { Keys = { ["k1"] = "not base64" } } } }));
    }

    private LivenessVerifier Verifier(LivenessOptions options) => new(Options.Create(options), clock);

    private LivenessProviderOptions Keyed(bool? required = null) =>
        new() { RequireSignature = required, Keys = { ["k1"] = Convert.ToBase64String(sdk.ExportSubjectPublicKeyInfo()) } };

    private LivenessAttestation Signed(string phone, string session = "s-1")
    {
        var at = clock.GetUtcNow();
        var payload = $"realname.v1.LivenessAttestation\nsdk\nk1\n{session}\ntrue\n0.950000\n{at.ToUnixTimeSeconds()}\n{phone}";
        return new LivenessAttestation("sdk", session, true, 0.95)
        {
            KeyId = "k1",
            SignedAt = at,
            Signature = sdk.SignData(Encoding.UTF8.GetBytes(payload), HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence),
        };
    }
}
