using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using Grpc.Core.Interceptors;
using RealName.Contracts.V1;
using RealName.IntegrationTests.Infrastructure;

namespace RealName.IntegrationTests;

/// <summary>
/// What a hostile or careless caller sent through buf curl and grpc-js against a running grid (2026-12-01 night)
/// and got INTERNAL or UNAVAILABLE for: timestamps out of range, U+0000 in a string, a blank report id, a caller
/// named as the grid. Each is now INVALID_ARGUMENT with the field and a reason, and leaves nothing behind.
/// </summary>
[Collection(GridCollection.Name)]
public sealed class HostileCallerTests(GridFixture grid)
{
    private RiskService.RiskServiceClient Risk => new(grid.Gateway.As(Roles.RiskOperator));

    private AuditService.AuditServiceClient Audit => new(grid.Gateway.As(Roles.Auditor));

    private AdminService.AdminServiceClient Admin => new(grid.Gateway.As(Roles.Admin));

    private RegistrationService.RegistrationServiceClient Terminal => new(grid.Gateway.As(Roles.RetailTerminal));

    [Fact]
    public async Task A_timestamp_out_of_range_is_INVALID_DATE_on_its_field_in_every_service()
    {
        var phone = Requests.NewPhoneNumber();
        var registration = Requests.Register(phone);
        registration.Consent.ConsentedAt = new Timestamp { Seconds = 1_700_000_000, Nanos = -5 };
        var liveness = Requests.Register(phone);
        liveness.Liveness = LivenessSdk.Attest(phone);
        liveness.Liveness.SignedAt = new Timestamp { Seconds = 300_000_000_000 };

        var problems = new[]
        {
            await RpcAssert.Invalid("since", () => Risk.ListFaceClustersAsync(new ListFaceClustersRequest { Limit = 1, Since = new Timestamp { Nanos = 2_000_000_000 } })),
            await RpcAssert.Invalid("from", () => Audit.GetConsistencyReportAsync(new GetConsistencyReportRequest
            {
                From = new Timestamp { Seconds = -99_999_999_999_999 }, To = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow), Bucket = TimeBucket.Day,
            })),
            await RpcAssert.Invalid("to", () => Audit.ListFraudLinkedRegistrationsAsync(new ListFraudLinkedRegistrationsRequest { To = new Timestamp { Nanos = -1 } })),
            await RpcAssert.Invalid("consent.consented_at", () => Terminal.RegisterSubscriberAsync(registration)),
            await RpcAssert.Invalid("liveness.signed_at", () => Terminal.RegisterSubscriberAsync(liveness)),
        };

        Assert.All(problems, p => Assert.StartsWith("INVALID_DATE", p, StringComparison.Ordinal));
        await AssertNothingStored(phone);
    }

    [Fact]
    public async Task A_control_character_in_any_string_is_INVALID_ARGUMENT_CONTROL_CHARACTER_and_issues_nothing()
    {
        var name = "nul-" + Guid.NewGuid().ToString("N")[..8];
        var caller = new IssueCallerRequest { Name = name, Role = CallerRole.RetailTerminal, Scope = new CallerScope { CarrierIds = { "cm\u0000cc" } } };

        var scope = await RpcAssert.Invalid("scope.carrier_ids[0]", () => Admin.IssueCallerAsync(caller));
        var campaign = await RpcAssert.Invalid("campaign_id", () => Audit.GetReReviewCampaignAsync(new GetReReviewCampaignRequest { CampaignId = "cmp-\u0000" }));
        var error = await Assert.ThrowsAsync<RpcException>(() => Admin.RevokeCallerAsync(new RevokeCallerRequest { Name = "pa\u0000x" }).ResponseAsync);

        Assert.StartsWith("CONTROL_CHARACTER", scope, StringComparison.Ordinal);
        Assert.StartsWith("CONTROL_CHARACTER", campaign, StringComparison.Ordinal);
        Assert.Equal((StatusCode.InvalidArgument, "CONTROL_CHARACTER"), (error.StatusCode, error.GetRpcStatus()?.GetDetail<ErrorInfo>()?.Reason));
        Assert.DoesNotContain((await Admin.ListCallersAsync(new ListCallersRequest())).Callers, c => c.Name == name);
    }

    [Fact]
    public async Task A_report_id_of_white_space_only_is_INVALID_REQUEST_KEY()
    {
        var phone = Requests.NewPhoneNumber();
        foreach (var blank in new[] { "        ", "\u3000\u3000\u3000\u3000\u3000\u3000\u3000\u3000" })
        {
            var report = await RpcAssert.Invalid("report_id", () => Risk.ReportFraudAsync(new ReportFraudRequest { PhoneNumber = phone, ReportId = blank, Source = FraudReportSource.PoliceNotice }));
            var read = await RpcAssert.Invalid("report_id", () => Risk.GetFraudReportAsync(new GetFraudReportRequest { ReportId = blank }));
            Assert.StartsWith("INVALID_REQUEST_KEY", report, StringComparison.Ordinal);
            Assert.StartsWith("INVALID_REQUEST_KEY", read, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_caller_cannot_be_issued_under_a_name_the_audit_log_records_for_the_grid()
    {
        foreach (var name in new[] { "system", "Bootstrap" })
        {
            var problem = await RpcAssert.Invalid("name", () => Admin.IssueCallerAsync(new IssueCallerRequest { Name = name, Role = CallerRole.RiskOperator }));
            Assert.StartsWith("CALLER_NAME_RESERVED", problem, StringComparison.Ordinal);
        }

        Assert.DoesNotContain((await Admin.ListCallersAsync(new ListCallersRequest())).Callers, c => c.Name is "system" or "Bootstrap");
    }

    [Fact]
    public async Task Out_of_range_numbers_and_enums_and_a_citizen_number_as_passport_are_INVALID_ARGUMENT_and_record_nothing()
    {
        var phone = Requests.NewPhoneNumber();
        var cardType = Requests.Register(phone);
        cardType.CardType = (CardType)99;
        var negativeData = Requests.Register(phone);
        negativeData.CardType = CardType.Iot;
        negativeData.Customer = null;
        negativeData.Enterprise = new Enterprise { CreditCode = Enterprises.NewCreditCode(), Name = "物联网科技" };
        negativeData.Iot = new IotProfile { DirectionalDataOnly = false, MonthlyDataMb = -5 };
        var notANumber = Requests.Register(phone);
        notANumber.Liveness = LivenessSdk.Attest(phone, score: double.NaN);
        var infinite = Requests.Register(phone);
        infinite.Liveness = LivenessSdk.Attest(phone, score: double.PositiveInfinity);
        var citizenAsPassport = Requests.Register(phone);
        citizenAsPassport.Customer.Document.Type = DocumentType.ForeignPassport;
        citizenAsPassport.Customer.Document.BirthDate = "1949-12-31";
        citizenAsPassport.Customer.Document.Number = "11010519491231002X";

        var problems = new[]
        {
            await RpcAssert.Invalid("card_type", () => Terminal.RegisterSubscriberAsync(cardType)),
            await RpcAssert.Invalid("iot.monthly_data_mb", () => Terminal.RegisterSubscriberAsync(negativeData)),
            await RpcAssert.Invalid("liveness.score", () => Terminal.RegisterSubscriberAsync(notANumber)),
            await RpcAssert.Invalid("liveness.score", () => Terminal.RegisterSubscriberAsync(infinite)),
            await RpcAssert.Invalid("customer.document.number", () => Terminal.RegisterSubscriberAsync(citizenAsPassport)),
        };

        Assert.Equal(["FIELD_REQUIRED", "OUT_OF_RANGE", "OUT_OF_RANGE", "OUT_OF_RANGE", "INVALID_DOCUMENT_NUMBER"], problems.Select(p => p.Split(':')[0]));
        await AssertNothingStored(phone);
    }

    /// <summary>Found by grpc-js against a running grid: a call with a content type other than gRPC's answered INTERNAL.</summary>
    [Theory]
    [InlineData("application/json")]
    [InlineData("application/grpc-web")]
    [InlineData("text/plain")]
    [InlineData(null)]
    public async Task A_contract_call_with_another_content_type_is_INVALID_ARGUMENT_UNSUPPORTED_CONTENT_TYPE(string? contentType)
    {
        using var raw = new RawGrpc(grid.Gateway.GrpcAddress, GatewayServer.KeyFor(Roles.RiskOperator));
        var message = new ListSuspendedOutletsRequest().ToByteArray();
        var frame = new byte[5 + message.Length];

        var (status, details) = await raw.CallWithBodyAsync("/realname.v1.RiskService/ListSuspendedOutlets", frame, contentType);

        Assert.Equal((int)StatusCode.InvalidArgument, status);
        Assert.Equal("UNSUPPORTED_CONTENT_TYPE", details!.Details.Single(d => d.Is(ErrorInfo.Descriptor)).Unpack<ErrorInfo>().Reason);
    }

    /// <summary>Found by buf curl against a running grid: with two x-api-key headers the first one silently decided who acted.</summary>
    [Fact]
    public async Task A_call_with_two_API_keys_is_UNAUTHENTICATED_whichever_comes_first()
    {
        CallInvoker TwoKeys(string first, string second) => grid.Gateway.Channel.Intercept(metadata =>
        {
            metadata.Add("x-api-key", GatewayServer.KeyFor(first));
            metadata.Add("x-api-key", GatewayServer.KeyFor(second));
            return metadata;
        });

        foreach (var (first, second) in new[] { (Roles.RiskOperator, Roles.RetailTerminal), (Roles.RetailTerminal, Roles.RiskOperator), (Roles.RiskOperator, Roles.RiskOperator) })
        {
            var client = new RiskService.RiskServiceClient(TwoKeys(first, second));
            await Callers.TestCallers.Denied(StatusCode.Unauthenticated, "CREDENTIAL_REJECTED",
                () => client.ListSuspendedOutletsAsync(new ListSuspendedOutletsRequest()).ResponseAsync);
        }
    }

    /// <summary>Found by buf curl against a running grid: an administrator revoked itself; the last one would lock everyone out.</summary>
    [Fact]
    public async Task An_administrator_cannot_revoke_itself_but_another_administrator_can()
    {
        var issued = await Callers.TestCallers.IssueAsync(grid.Gateway, "adm-self", CallerRole.Admin);
        var itself = new AdminService.AdminServiceClient(grid.Gateway.WithKey(issued.ApiKey));

        await Callers.TestCallers.Denied(StatusCode.PermissionDenied, "SELF_REVOCATION_FORBIDDEN",
            () => itself.RevokeCallerAsync(new RevokeCallerRequest { Name = issued.Caller.Name }).ResponseAsync);
        var revoked = await Admin.RevokeCallerAsync(new RevokeCallerRequest { Name = issued.Caller.Name });

        Assert.NotNull(revoked.Caller.RevokedAt);
    }

    /// <summary>
    /// Found by buf curl against a running grid: gRPC logged each error status with its detail, which echoed the caller's
    /// input (here a person's name as an event type) in clear; the full run's log scan (<see cref="RunLogScanTests"/>) looks for it.
    /// </summary>
    [Fact]
    public async Task Regression_a_refusal_that_echoes_a_name_is_answered_but_the_name_is_not_logged()
    {
        using var export = Audit.ExportAuditEvents(new ExportAuditEventsRequest
        {
            From = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow.AddDays(-1)), To = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow), EventTypes = { "李四" },
        });

        var error = await Assert.ThrowsAsync<RpcException>(() => export.ResponseStream.MoveNext());

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains("UNKNOWN_EVENT_TYPE", error.Status.Detail, StringComparison.Ordinal);
    }

    private async Task AssertNothingStored(string phone)
    {
        var read = await Assert.ThrowsAsync<RpcException>(() => Terminal.GetSubscriberAsync(new GetSubscriberRequest { PhoneNumber = phone }).ResponseAsync);
        Assert.True(read.StatusCode == StatusCode.NotFound, read.Status.ToString());
        Assert.Equal(0L, await grid.Database.ScalarAsync<long>("SELECT count(*) FROM audit_events WHERE phone_number = @p", ("p", phone)));
    }
}
