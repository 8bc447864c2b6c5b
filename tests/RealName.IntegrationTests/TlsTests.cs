using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
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
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(System.Net.IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        var pfx = Path.Combine(Path.GetTempPath(), $"realname-tls-{Guid.NewGuid():N}.pfx");
        await File.WriteAllBytesAsync(pfx, certificate.Export(X509ContentType.Pfx, "test-password"));
        var port = FreePort.Next();
        try
        {
            await using var gateway = await GatewayServer.StartAsync(grid.Database, grid.Silo.ClusterId, new Dictionary<string, string?>
            {
                ["Kestrel:Endpoints:Grpc:Url"] = $"https://127.0.0.1:{port}",
                ["Kestrel:Endpoints:Grpc:Certificate:Path"] = pfx,
                ["Kestrel:Endpoints:Grpc:Certificate:Password"] = "test-password",
            });
            using var handler = new HttpClientHandler
            {
                // Trust exactly the certificate we made, nothing else.
                ServerCertificateCustomValidationCallback = (_, presented, _, _) => presented?.Thumbprint == certificate.Thumbprint,
            };
            using var channel = GrpcChannel.ForAddress($"https://127.0.0.1:{port}", new GrpcChannelOptions { HttpHandler = handler });
            var invoker = channel.CreateCallInvoker().Intercept(m =>
            {
                m.Add("x-api-key", GatewayServer.KeyFor(Roles.RetailTerminal));
                return m;
            });
            var client = new RegistrationService.RegistrationServiceClient(invoker);
            var phone = Requests.NewPhoneNumber();

            var registered = await client.RegisterSubscriberAsync(Requests.Register(phone));

            Assert.Equal(SubscriberStatus.Active, registered.Subscriber.Status);
            using var plain = GrpcChannel.ForAddress($"http://127.0.0.1:{port}");
            await Assert.ThrowsAnyAsync<Exception>(() => new RegistrationService.RegistrationServiceClient(plain).GetSubscriberAsync(new GetSubscriberRequest { PhoneNumber = phone }).ResponseAsync);
        }
        finally
        {
            File.Delete(pfx);
        }
    }
}
