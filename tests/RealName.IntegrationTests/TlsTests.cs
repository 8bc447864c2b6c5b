using Grpc.Core.Interceptors;
using Grpc.Net.Client;
using RealName.Contracts.V1;
using RealName.IntegrationTests.Infrastructure;

namespace RealName.IntegrationTests;

/// <summary>TLS is configuration: an https Kestrel endpoint with a certificate file, nothing in code.</summary>
[Collection(GridCollection.Name)]
public sealed class TlsTests(GridFixture grid)
{
    [Fact]
    public async Task The_gateway_serves_gRPC_over_TLS_when_its_endpoint_is_configured_with_a_certificate()
    {
        await using var tls = await TlsGateway.StartAsync(grid);
        using var channel = tls.Channel();
        var invoker = channel.CreateCallInvoker().Intercept(m =>
        {
            m.Add("x-api-key", GatewayServer.KeyFor(Roles.RetailTerminal));
            return m;
        });
        var client = new RegistrationService.RegistrationServiceClient(invoker);
        var phone = Requests.NewPhoneNumber();

        var registered = await client.RegisterSubscriberAsync(Requests.Register(phone));

        Assert.Equal(SubscriberStatus.Active, registered.Subscriber.Status);
        using var plain = GrpcChannel.ForAddress($"http://127.0.0.1:{tls.Port}");
        await Assert.ThrowsAnyAsync<Exception>(() => new RegistrationService.RegistrationServiceClient(plain).GetSubscriberAsync(new GetSubscriberRequest { PhoneNumber = phone }).ResponseAsync);
    }
}
