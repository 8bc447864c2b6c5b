using RealName.Gateway.Security;
using Google.Rpc;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using RealName.Contracts.V1;
using RealName.Gateway.Errors;
using RealName.Grains.Subscribers;
using RealName.IntegrationTests.Grains;
using RealName.IntegrationTests.Infrastructure;

namespace RealName.IntegrationTests.Rules;

/// <summary>
/// A rule answers the same way wherever it runs: the gateway's early answer (the rule book on the clear
/// document) and the grain's authoritative one (the rule book on what the grain receives) reach the client
/// with the same status, reason and field.
/// </summary>
[Collection(GridCollection.Name)]
public sealed class OneAnswerPerRuleTests(GridFixture grid)
{
    [Fact]
    public async Task An_expired_document_gets_the_same_status_and_reason_through_the_gateway_and_from_a_direct_grain_call()
    {
        var viaSocket = Requests.Register(Requests.NewPhoneNumber());
        viaSocket.Customer.Document.ValidUntil = "2020-01-01";
        var gatewayError = await Assert.ThrowsAsync<RpcException>(() =>
            new RegistrationService.RegistrationServiceClient(grid.Gateway.As(Roles.RetailTerminal)).RegisterSubscriberAsync(viaSocket).ResponseAsync);

        // Straight to the grain on the silo process, past every gateway check: only the key, masked forms and dates.
        var cluster = grid.Gateway.Services.GetRequiredService<IClusterClient>();
        var phone = GrainRequests.NewPhoneNumber();
        var expired = GrainRequests.Person(GrainRequests.NewIdentityKey()) with { ValidUntil = new DateOnly(2020, 1, 1) };
        var outcome = await cluster.GetGrain<ISubscriberGrain>(phone).Register(GrainRequests.Personal("unused") with { Customer = expired });
        var grainError = GrpcErrors.Refused(outcome.Refusal!);

        Assert.Null(outcome.Record);
        Assert.Null(await cluster.GetGrain<ISubscriberGrain>(phone).GetRecord());
        Assert.Equal(StatusCode.FailedPrecondition, gatewayError.StatusCode);
        Assert.Equal(gatewayError.StatusCode, grainError.StatusCode);
        var gatewayInfo = gatewayError.GetRpcStatus()!.GetDetail<ErrorInfo>();
        var grainInfo = grainError.GetRpcStatus()!.GetDetail<ErrorInfo>();
        Assert.Equal("DOCUMENT_EXPIRED", gatewayInfo.Reason);
        Assert.Equal(gatewayInfo.Reason, grainInfo.Reason);
        Assert.Equal(gatewayInfo.Domain, grainInfo.Domain);
        Assert.Equal("customer.document.valid_until", gatewayInfo.Metadata["field"]);
        Assert.Equal(gatewayInfo.Metadata["field"], grainInfo.Metadata["field"]);
    }
}
