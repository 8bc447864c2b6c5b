using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using RealName.Contracts.V1;
using RealName.IntegrationTests.Infrastructure;

namespace RealName.IntegrationTests.Rules;

/// <summary>
/// A registration processes faces only with the customer's separate consent (PIPL): without it the request is
/// INVALID_ARGUMENT, reason CONSENT_REQUIRED, and nothing is recorded. With it, the consent is in the audit event.
/// </summary>
[Collection(GridCollection.Name)]
public sealed class ConsentTests(GridFixture grid)
{
    private RegistrationService.RegistrationServiceClient Channel => new(grid.Gateway.As(Roles.RetailTerminal));

    private RegistrationService.RegistrationServiceClient Online => new(grid.Gateway.As(Roles.OnlineSales));

    [Fact]
    public async Task A_registration_without_consent_is_CONSENT_REQUIRED_and_leaves_no_audit_row_or_state()
    {
        var rowsBefore = await AuditRows();
        var retail = Requests.Register(Requests.NewPhoneNumber());
        retail.Consent = null;
        // Online sales too, and even a request a document rule would refuse (normally an audited attempt).
        var online = Requests.Register(Requests.NewPhoneNumber());
        online.Channel.Kind = ChannelKind.Online;
        online.Liveness = LivenessSdk.Attest(online.PhoneNumber);
        online.Consent = null;
        var expired = Requests.Register(Requests.NewPhoneNumber());
        expired.Customer.Document.ValidUntil = "2020-01-01";
        expired.Consent = null;

        foreach (var (client, request) in new[] { (Channel, retail), (Online, online), (Channel, expired) })
        {
            var error = await Assert.ThrowsAsync<RpcException>(() => client.RegisterSubscriberAsync(request).ResponseAsync);
            Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
            Assert.Equal("CONSENT_REQUIRED", error.GetRpcStatus()!.GetDetail<ErrorInfo>()!.Reason);
            Assert.Contains(error.GetRpcStatus()!.GetDetail<BadRequest>()!.FieldViolations, v => v.Field == "consent" && v.Description.StartsWith("CONSENT_REQUIRED", StringComparison.Ordinal));
            await RpcAssert.NotFound(() => client.GetSubscriberAsync(new GetSubscriberRequest { PhoneNumber = request.PhoneNumber }));
            Assert.Equal(0L, await grid.Database.ScalarAsync<long>("SELECT count(*) FROM audit_events WHERE phone_number = @p", ("p", request.PhoneNumber)));
        }

        Assert.Equal(rowsBefore, await AuditRows());
    }

    [Fact]
    public async Task An_incomplete_future_or_stale_consent_is_refused_on_its_field()
    {
        var noVersion = Requests.Register(Requests.NewPhoneNumber());
        noVersion.Consent.TextVersion = "";
        var future = Requests.Register(Requests.NewPhoneNumber());
        future.Consent.ConsentedAt = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow.AddHours(1));
        var stale = Requests.Register(Requests.NewPhoneNumber());
        stale.Consent.ConsentedAt = Timestamp.FromDateTimeOffset(new DateTimeOffset(1900, 1, 1, 0, 0, 0, TimeSpan.Zero));

        Assert.StartsWith("CONSENT_REQUIRED", await RpcAssert.Invalid("consent.text_version", () => Channel.RegisterSubscriberAsync(noVersion)), StringComparison.Ordinal);
        Assert.StartsWith("CONSENT_REQUIRED", await RpcAssert.Invalid("consent.consented_at", () => Channel.RegisterSubscriberAsync(future)), StringComparison.Ordinal);
        Assert.StartsWith("CONSENT_REQUIRED", await RpcAssert.Invalid("consent.consented_at", () => Channel.RegisterSubscriberAsync(stale)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_consent_is_recorded_with_the_registration_in_the_audit_log()
    {
        var request = Requests.Register(Requests.NewPhoneNumber());

        await Channel.RegisterSubscriberAsync(request);

        var consent = await grid.Database.ScalarAsync<string>(
            "SELECT details::jsonb->'consent'->>'consent_id' || '|' || (details::jsonb->'consent'->>'text_version') FROM audit_events WHERE phone_number = @p AND event_type = 'REGISTRATION_DECIDED'",
            ("p", request.PhoneNumber));
        Assert.Equal($"{request.Consent.ConsentId}|face-2026.1", consent);
    }

    private Task<long> AuditRows() => grid.Database.ScalarAsync<long>("SELECT count(*) FROM audit_events");
}
