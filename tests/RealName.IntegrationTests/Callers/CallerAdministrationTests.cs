using System.Security.Cryptography;
using System.Text;
using Grpc.Core;
using Grpc.Health.V1;
using RealName.Contracts.V1;
using RealName.IntegrationTests.Infrastructure;

namespace RealName.IntegrationTests.Callers;

/// <summary>Callers are data: issued with a key shown once (stored as a hash), listed, revoked without a restart, all audited.</summary>
[Collection(GridCollection.Name)]
public sealed class CallerAdministrationTests(GridFixture grid)
{
    [Fact]
    public async Task An_issued_key_works_is_stored_only_as_its_hash_and_the_issue_is_audited_with_the_admin_as_actor()
    {
        var issued = await TestCallers.IssueAsync(grid.Gateway, "adm-auditor", CallerRole.Auditor);

        var chain = await new AuditService.AuditServiceClient(grid.Gateway.WithKey(issued.ApiKey)).VerifyAuditChainAsync(new VerifyAuditChainRequest());
        Assert.True(chain.Intact);
        Assert.StartsWith("rn_", issued.ApiKey, StringComparison.Ordinal);
        Assert.Equal(46, issued.ApiKey.Length); // "rn_" + 32 bytes in unpadded base64url
        Assert.Equal(1L, await grid.Database.ScalarAsync<long>("SELECT count(*) FROM callers WHERE name = @n AND key_hash = @h",
            ("n", issued.Caller.Name), ("h", SHA256.HashData(Encoding.UTF8.GetBytes(issued.ApiKey)))));
        Assert.Equal(0L, await grid.Database.ScalarAsync<long>("SELECT count(*) FROM callers c WHERE strpos(c::text, @k) > 0", ("k", issued.ApiKey)));
        Assert.Equal(GatewayServer.NameFor(Roles.Admin), issued.Caller.CreatedBy);
        Assert.Equal(1L, await grid.Database.ScalarAsync<long>(
            "SELECT count(*) FROM audit_events WHERE event_type = 'CALLER_ISSUED' AND actor = @a AND details LIKE @d",
            ("a", GatewayServer.NameFor(Roles.Admin)), ("d", $"%\"name\":\"{issued.Caller.Name}\"%")));

        var listed = await TestCallers.Admin(grid.Gateway).ListCallersAsync(new ListCallersRequest());
        var entry = Assert.Single(listed.Callers, c => c.Name == issued.Caller.Name);
        Assert.Equal(CallerRole.Auditor, entry.Role);
        Assert.DoesNotContain(issued.ApiKey, listed.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_key_revoked_through_another_gateway_is_refused_within_5_seconds_without_a_restart()
    {
        var issued = await TestCallers.IssueAsync(grid.Gateway, "adm-revoked", CallerRole.RetailTerminal, carriers: ["cmcc"]);
        var client = new RegistrationService.RegistrationServiceClient(grid.Gateway.WithKey(issued.ApiKey));
        var probe = new GetSubscriberRequest { PhoneNumber = Requests.NewPhoneNumber() };
        await TestCallers.Denied(StatusCode.NotFound, "SUBSCRIBER_NOT_FOUND", () => client.GetSubscriberAsync(probe).ResponseAsync); // known, and cached

        // The revocation goes through a second gateway, so the first one learns of it only from PostgreSQL.
        await using (var other = await GatewayServer.StartAsync(grid.Database, grid.Silo.ClusterId))
        {
            await TestCallers.Admin(other).RevokeCallerAsync(new RevokeCallerRequest { Name = issued.Caller.Name });
        }

        var (outcome, elapsed) = await TestCallers.UntilRefused(() => client.GetSubscriberAsync(probe).ResponseAsync);

        Assert.Equal((StatusCode.Unauthenticated, "CREDENTIAL_REJECTED"), outcome);
        Assert.True(elapsed < TimeSpan.FromSeconds(5), $"refused after {elapsed.TotalSeconds:0.0} s");
        var listed = await TestCallers.Admin(grid.Gateway).ListCallersAsync(new ListCallersRequest { IncludeRevoked = true });
        Assert.NotNull(Assert.Single(listed.Callers, c => c.Name == issued.Caller.Name).RevokedAt);
        Assert.DoesNotContain((await TestCallers.Admin(grid.Gateway).ListCallersAsync(new ListCallersRequest())).Callers, c => c.Name == issued.Caller.Name);
        Assert.Equal(1L, await grid.Database.ScalarAsync<long>(
            "SELECT count(*) FROM audit_events WHERE event_type = 'CALLER_REVOKED' AND details LIKE @d", ("d", $"%\"name\":\"{issued.Caller.Name}\"%")));
    }

    [Fact]
    public async Task Names_are_never_reused_and_scopes_must_fit_the_role()
    {
        var admin = TestCallers.Admin(grid.Gateway);
        var issued = await TestCallers.IssueAsync(grid.Gateway, "adm-once", CallerRole.Reviewer);
        await admin.RevokeCallerAsync(new RevokeCallerRequest { Name = issued.Caller.Name });

        await TestCallers.Denied(StatusCode.FailedPrecondition, "CALLER_NAME_TAKEN",
            () => admin.IssueCallerAsync(new IssueCallerRequest { Name = issued.Caller.Name, Role = CallerRole.Reviewer }).ResponseAsync);
        await TestCallers.Denied(StatusCode.NotFound, "CALLER_NOT_FOUND",
            () => admin.RevokeCallerAsync(new RevokeCallerRequest { Name = "adm-never-issued" }).ResponseAsync);
        var noCarrier = await RpcAssert.Invalid("scope.carrier_ids", () => admin.IssueCallerAsync(new IssueCallerRequest { Name = "adm-terminal", Role = CallerRole.RetailTerminal }));
        Assert.StartsWith("SCOPE_REQUIRED", noCarrier, StringComparison.Ordinal);
        var auditorScope = new CallerScope();
        auditorScope.CarrierIds.Add("cmcc");
        var scopedAuditor = await RpcAssert.Invalid("scope.carrier_ids", () => admin.IssueCallerAsync(new IssueCallerRequest { Name = "adm-auditor-scoped", Role = CallerRole.Auditor, Scope = auditorScope }));
        Assert.StartsWith("SCOPE_NOT_ALLOWED", scopedAuditor, StringComparison.Ordinal);
        var wrongKind = new CallerScope { ChannelKind = ChannelKind.Online };
        wrongKind.CarrierIds.Add("cmcc");
        await RpcAssert.Invalid("scope.channel_kind", () => admin.IssueCallerAsync(new IssueCallerRequest { Name = "adm-kind", Role = CallerRole.RetailTerminal, Scope = wrongKind }));
        await RpcAssert.Invalid("role", () => admin.IssueCallerAsync(new IssueCallerRequest { Name = "adm-norole" }));
    }

    [Fact]
    public async Task Methods_without_an_authorize_attribute_are_closed_while_health_and_reflection_stay_open()
    {
        // A path no service declares gets the fallback policy: no caller, UNAUTHENTICATED; any caller, PERMISSION_DENIED.
        var method = new Method<GetSubscriberRequest, GetSubscriberResponse>(MethodType.Unary, "realname.v1.UnlistedService", "Anything",
            Marshallers.Create(r => Google.Protobuf.MessageExtensions.ToByteArray(r), GetSubscriberRequest.Parser.ParseFrom),
            Marshallers.Create(r => Google.Protobuf.MessageExtensions.ToByteArray(r), GetSubscriberResponse.Parser.ParseFrom));
        var request = new GetSubscriberRequest();
        await TestCallers.Denied(StatusCode.Unauthenticated, "CREDENTIAL_REQUIRED",
            () => grid.Gateway.Channel.CreateCallInvoker().AsyncUnaryCall(method, null, default, request).ResponseAsync);
        await TestCallers.Denied(StatusCode.PermissionDenied, "ROLE_NOT_ALLOWED",
            () => grid.Gateway.As(Roles.Admin).AsyncUnaryCall(method, null, default, request).ResponseAsync);

        var health = await new Health.HealthClient(grid.Gateway.Channel).CheckAsync(new HealthCheckRequest());
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, health.Status);
    }
}
