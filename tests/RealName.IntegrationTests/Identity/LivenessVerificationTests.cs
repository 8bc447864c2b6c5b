using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using RealName.Contracts.V1;
using RealName.IntegrationTests.Infrastructure;

namespace RealName.IntegrationTests.Identity;

/// <summary>Online liveness attestations are verified against the provider's configured public key, not trusted.</summary>
[Collection(GridCollection.Name)]
public sealed class LivenessVerificationTests(GridFixture grid)
{
    private RegistrationService.RegistrationServiceClient Channel => new(grid.Gateway.As(Roles.OnlineSales));

    private static RegisterSubscriberRequest Online(LivenessAttestation? attestation = null)
    {
        var request = Requests.Register(Requests.NewPhoneNumber());
        request.Channel.Kind = ChannelKind.Online;
        request.Liveness = attestation ?? LivenessSdk.Attest(request.PhoneNumber);
        return request;
    }

    [Fact]
    public async Task A_signature_of_the_provider_s_key_over_this_request_is_accepted()
    {
        var request = Online();

        var registered = await Channel.RegisterSubscriberAsync(request);

        Assert.Equal(SubscriberStatus.Active, registered.Subscriber.Status);
    }

    [Fact]
    public async Task An_unsigned_attestation_is_unverified()
    {
        var request = Online();
        request.Liveness.Signature = ByteString.Empty;

        var info = await RpcAssert.Refused("LIVENESS_UNVERIFIED", () => Channel.RegisterSubscriberAsync(request));
        Assert.Equal("UNSIGNED", info.Metadata["problem"]);
    }

    [Fact]
    public async Task A_changed_score_or_another_phone_number_breaks_the_signature()
    {
        var raised = Online();
        raised.Liveness.Score = 0.99;
        var elsewhere = Online();
        elsewhere.Liveness = LivenessSdk.Attest(Requests.NewPhoneNumber());

        Assert.Equal("BAD_SIGNATURE", (await RpcAssert.Refused("LIVENESS_UNVERIFIED", () => Channel.RegisterSubscriberAsync(raised))).Metadata["problem"]);
        Assert.Equal("BAD_SIGNATURE", (await RpcAssert.Refused("LIVENESS_UNVERIFIED", () => Channel.RegisterSubscriberAsync(elsewhere))).Metadata["problem"]);
    }

    [Fact]
    public async Task A_signature_by_a_key_the_grid_does_not_hold_is_refused()
    {
        using var forger = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = Online();
        var a = request.Liveness;
        a.Signature = ByteString.CopyFrom(LivenessSdk.Sign(
            LivenessSdk.Payload(a.Provider, a.KeyId, a.SessionId, a.Passed, a.Score, a.SignedAt.Seconds, request.PhoneNumber), forger));
        var unknownKey = Online();
        unknownKey.Liveness.KeyId = "k9";

        Assert.Equal("BAD_SIGNATURE", (await RpcAssert.Refused("LIVENESS_UNVERIFIED", () => Channel.RegisterSubscriberAsync(request))).Metadata["problem"]);
        Assert.Equal("UNKNOWN_KEY", (await RpcAssert.Refused("LIVENESS_UNVERIFIED", () => Channel.RegisterSubscriberAsync(unknownKey))).Metadata["problem"]);
    }

    [Fact]
    public async Task An_attestation_older_than_the_maximum_age_is_stale()
    {
        var phone = Requests.NewPhoneNumber();
        var request = Online(LivenessSdk.Attest(phone, DateTimeOffset.UtcNow.AddMinutes(-6)));
        request.PhoneNumber = phone;
        var future = Online(LivenessSdk.Attest(phone, DateTimeOffset.UtcNow.AddMinutes(5)));
        future.PhoneNumber = phone;

        Assert.Equal("STALE", (await RpcAssert.Refused("LIVENESS_UNVERIFIED", () => Channel.RegisterSubscriberAsync(request))).Metadata["problem"]);
        Assert.Equal("STALE", (await RpcAssert.Refused("LIVENESS_UNVERIFIED", () => Channel.RegisterSubscriberAsync(future))).Metadata["problem"]);
    }

    [Fact]
    public async Task An_attestation_signed_with_openssl_as_the_README_shows_is_accepted()
    {
        var key = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(key, LivenessSdk.PrivateKeyPem());
            var request = Online();
            var at = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
            var start = new ProcessStartInfo("bash", ["-c",
                "printf 'realname.v1.LivenessAttestation\\n%s\\n%s\\n%s\\ntrue\\n%s\\n%s\\n%s' \"$1\" \"$2\" \"$3\" \"$4\" \"$5\" \"$6\" | openssl dgst -sha256 -sign \"$7\" | base64 -w0",
                "sign", LivenessSdk.Provider, LivenessSdk.KeyId, "sess-openssl", "0.970000", at.ToString(CultureInfo.InvariantCulture), request.PhoneNumber, key])
            {
                RedirectStandardOutput = true,
            };
            using var process = Process.Start(start)!;
            var signature = (await process.StandardOutput.ReadToEndAsync()).Trim();
            await process.WaitForExitAsync();
            Assert.Equal(0, process.ExitCode);

            request.Liveness = new LivenessAttestation
            {
                Provider = LivenessSdk.Provider,
                KeyId = LivenessSdk.KeyId,
                SessionId = "sess-openssl",
                Passed = true,
                Score = 0.97,
                SignedAt = new Timestamp { Seconds = at },
                Signature = ByteString.FromBase64(signature),
            };

            Assert.Equal(SubscriberStatus.Active, (await Channel.RegisterSubscriberAsync(request)).Subscriber.Status);
        }
        finally
        {
            File.Delete(key);
        }
    }

    [Fact]
    public async Task The_signed_payload_is_the_documented_byte_string()
    {
        // The proto's example, byte for byte: a change of the format (order, separators, score digits) fails here.
        var payload = LivenessSdk.Payload("test-sdk", "k1", "sess-42", true, 0.973, 1795852800, "13800138000");
        Assert.Equal("realname.v1.LivenessAttestation\ntest-sdk\nk1\nsess-42\ntrue\n0.973000\n1795852800\n13800138000", System.Text.Encoding.UTF8.GetString(payload));

        var request = Online();
        var a = request.Liveness;
        a.Score = 0.973;
        a.SignedAt = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow);
        a.Signature = ByteString.CopyFrom(LivenessSdk.Sign(LivenessSdk.Payload(a.Provider, a.KeyId, a.SessionId, true, 0.973, a.SignedAt.Seconds, request.PhoneNumber)));
        Assert.Equal(SubscriberStatus.Active, (await Channel.RegisterSubscriberAsync(request)).Subscriber.Status);
    }
}
