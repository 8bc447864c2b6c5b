using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using RealName.Contracts.V1;
using RealName.IntegrationTests.Infrastructure;

namespace RealName.IntegrationTests.AntiFraud;

/// <summary>
/// Every registration records the customer's acknowledgement of the fraud-risk notice (风险告知): without it the request
/// is INVALID_ARGUMENT, reason RISK_NOTICE_REQUIRED, and nothing is recorded; online sales also need the reference of
/// the recorded acknowledgement. With it, the acknowledgement is in the registration's audit event.
/// </summary>
[Collection(GridCollection.Name)]
public sealed class RiskNoticeTests(GridFixture grid)
{
    private RegistrationService.RegistrationServiceClient Retail => new(grid.Gateway.As(Roles.RetailTerminal));

    private RegistrationService.RegistrationServiceClient Online => new(grid.Gateway.As(Roles.OnlineSales));

    [Fact]
    public async Task A_registration_without_the_risk_notice_is_RISK_NOTICE_REQUIRED_and_writes_nothing()
    {
        var rowsBefore = await AuditRows();
        var retail = Requests.Register(Requests.NewPhoneNumber());
        retail.RiskNotice = null;
        var online = OnlineRequest();
        online.RiskNotice = null;
        // Even a request a document rule would refuse (normally an audited attempt) records nothing.
        var expired = Requests.Register(Requests.NewPhoneNumber());
        expired.Customer.Document.ValidUntil = "2020-01-01";
        expired.RiskNotice = null;

        foreach (var (client, request) in new[] { (Retail, retail), (Online, online), (Retail, expired) })
        {
            var error = await Assert.ThrowsAsync<RpcException>(() => client.RegisterSubscriberAsync(request).ResponseAsync);
            Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
            Assert.Equal("RISK_NOTICE_REQUIRED", error.GetRpcStatus()!.GetDetail<ErrorInfo>()!.Reason);
            Assert.Contains(error.GetRpcStatus()!.GetDetail<BadRequest>()!.FieldViolations, v => v.Field == "risk_notice" && v.Description.StartsWith("RISK_NOTICE_REQUIRED", StringComparison.Ordinal));
            await RpcAssert.NotFound(() => client.GetSubscriberAsync(new GetSubscriberRequest { PhoneNumber = request.PhoneNumber }));
            Assert.Equal(0L, await grid.Database.ScalarAsync<long>("SELECT count(*) FROM audit_events WHERE phone_number = @p", ("p", request.PhoneNumber)));
        }

        Assert.Equal(rowsBefore, await AuditRows());
    }

    [Fact]
    public async Task An_incomplete_or_future_acknowledgement_and_an_online_one_without_its_record_are_refused_on_their_field()
    {
        var noVersion = Requests.Register(Requests.NewPhoneNumber());
        noVersion.RiskNotice.NoticeVersion = " ";
        var future = Requests.Register(Requests.NewPhoneNumber());
        future.RiskNotice.AcknowledgedAt = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow.AddHours(1));
        var onlineWithoutRecord = OnlineRequest();
        onlineWithoutRecord.RiskNotice.AcknowledgementReference = "";
        var retailWithoutRecord = Requests.Register(Requests.NewPhoneNumber());
        retailWithoutRecord.RiskNotice.AcknowledgementReference = "";

        Assert.StartsWith("RISK_NOTICE_REQUIRED", await RpcAssert.Invalid("risk_notice.notice_version", () => Retail.RegisterSubscriberAsync(noVersion)), StringComparison.Ordinal);
        Assert.StartsWith("RISK_NOTICE_REQUIRED", await RpcAssert.Invalid("risk_notice.acknowledged_at", () => Retail.RegisterSubscriberAsync(future)), StringComparison.Ordinal);
        Assert.StartsWith("RISK_NOTICE_REQUIRED", await RpcAssert.Invalid("risk_notice.acknowledgement_reference", () => Online.RegisterSubscriberAsync(onlineWithoutRecord)), StringComparison.Ordinal);
        // At a counter the clerk witnessed it: the reference is optional there.
        Assert.Equal(SubscriberStatus.Active, (await Retail.RegisterSubscriberAsync(retailWithoutRecord)).Subscriber.Status);
    }

    [Fact]
    public async Task The_acknowledgement_is_recorded_with_the_registration_in_the_audit_log()
    {
        var request = OnlineRequest();

        await Online.RegisterSubscriberAsync(request);

        var notice = await grid.Database.ScalarAsync<string>(
            "SELECT details::jsonb->'risk_notice'->>'notice_version' || '|' || (details::jsonb->'risk_notice'->>'acknowledgement_reference') FROM audit_events WHERE phone_number = @p AND event_type = 'REGISTRATION_DECIDED'",
            ("p", request.PhoneNumber));
        Assert.Equal($"fraud-2021.1|{request.RiskNotice.AcknowledgementReference}", notice);
    }

    private static RegisterSubscriberRequest OnlineRequest()
    {
        var request = Requests.Register(Requests.NewPhoneNumber());
        request.Channel.Kind = ChannelKind.Online;
        request.Liveness = LivenessSdk.Attest(request.PhoneNumber);
        return request;
    }

    private Task<long> AuditRows() => grid.Database.ScalarAsync<long>("SELECT count(*) FROM audit_events");
}
