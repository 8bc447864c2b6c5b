using System.Diagnostics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Grpc.Core;
using Grpc.Net.Client;
using RealName.Contracts.V1;
using RealName.IntegrationTests.Infrastructure;

namespace RealName.IntegrationTests.Callers;

/// <summary>Mutual TLS: a client certificate whose SHA-256 thumbprint is mapped to a caller authenticates as that caller.</summary>
[Collection(GridCollection.Name)]
public sealed class ClientCertificateTests(GridFixture grid)
{
    [Fact]
    public async Task A_mapped_client_certificate_authenticates_as_its_caller_over_real_TLS_until_revoked()
    {
        using var serverCertificate = Certificate("CN=127.0.0.1", server: true);
        using var mapped = Certificate("CN=auditor-terminal", server: false);
        using var stranger = Certificate("CN=stranger", server: false);
        var pfx = Path.Combine(Path.GetTempPath(), $"realname-mtls-{Guid.NewGuid():N}.pfx");
        await File.WriteAllBytesAsync(pfx, serverCertificate.Export(X509ContentType.Pfx, "test-password"));
        var port = FreePort.Next();
        try
        {
            await using var gateway = await GatewayServer.StartAsync(grid.Database, grid.Silo.ClusterId, new Dictionary<string, string?>
            {
                ["Kestrel:Endpoints:Grpc:Url"] = $"https://127.0.0.1:{port}",
                ["Kestrel:Endpoints:Grpc:Certificate:Path"] = pfx,
                ["Kestrel:Endpoints:Grpc:Certificate:Password"] = "test-password",
            });
            var issued = await TestCallers.IssueAsync(grid.Gateway, "tls-auditor", CallerRole.Auditor);
            var thumbprint = mapped.GetCertHashString(HashAlgorithmName.SHA256);
            var attached = await TestCallers.Admin(grid.Gateway).AttachCallerCertificateAsync(new AttachCallerCertificateRequest { Name = issued.Caller.Name, ThumbprintSha256 = thumbprint.ToLowerInvariant() });
            Assert.Equal([thumbprint], attached.Caller.CertificateThumbprints);

            using var withMapped = Channel(port, serverCertificate, mapped);
            using var withStranger = Channel(port, serverCertificate, stranger);
            using var withNone = Channel(port, serverCertificate, null);
            var audit = new AuditService.AuditServiceClient(withMapped);

            Assert.True((await audit.VerifyAuditChainAsync(new VerifyAuditChainRequest())).Intact);
            await TestCallers.Denied(StatusCode.PermissionDenied, "ROLE_NOT_ALLOWED",
                () => new RegistrationService.RegistrationServiceClient(withMapped).GetSubscriberAsync(new GetSubscriberRequest { PhoneNumber = Requests.NewPhoneNumber() }).ResponseAsync);
            await TestCallers.Denied(StatusCode.Unauthenticated, "CREDENTIAL_REJECTED",
                () => new AuditService.AuditServiceClient(withStranger).VerifyAuditChainAsync(new VerifyAuditChainRequest()).ResponseAsync);
            await TestCallers.Denied(StatusCode.Unauthenticated, "CREDENTIAL_REQUIRED",
                () => new AuditService.AuditServiceClient(withNone).VerifyAuditChainAsync(new VerifyAuditChainRequest()).ResponseAsync);

            // Revoked through the other gateway: this one learns it from PostgreSQL within its cache time.
            await TestCallers.Admin(grid.Gateway).RevokeCallerAsync(new RevokeCallerRequest { Name = issued.Caller.Name });
            var clock = Stopwatch.StartNew();
            var outcome = await TestCallers.Outcome(() => audit.VerifyAuditChainAsync(new VerifyAuditChainRequest()).ResponseAsync);
            while (outcome.Status == StatusCode.OK && clock.Elapsed < TimeSpan.FromSeconds(10))
            {
                await Task.Delay(100);
                outcome = await TestCallers.Outcome(() => audit.VerifyAuditChainAsync(new VerifyAuditChainRequest()).ResponseAsync);
            }

            Assert.Equal((StatusCode.Unauthenticated, "CREDENTIAL_REJECTED"), outcome);
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"refused after {clock.Elapsed.TotalSeconds:0.0} s");
        }
        finally
        {
            File.Delete(pfx);
        }
    }

    private static GrpcChannel Channel(int port, X509Certificate2 server, X509Certificate2? client)
    {
        var handler = new HttpClientHandler
        {
            // Trust exactly the server certificate we made.
            ServerCertificateCustomValidationCallback = (_, presented, _, _) => presented?.Thumbprint == server.Thumbprint,
        };
        if (client is not null)
        {
            handler.ClientCertificateOptions = ClientCertificateOption.Manual;
            handler.ClientCertificates.Add(client);
        }

        return GrpcChannel.ForAddress($"https://127.0.0.1:{port}", new GrpcChannelOptions { HttpHandler = handler, DisposeHttpClient = true });
    }

    private static X509Certificate2 Certificate(string subject, bool server)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        if (server)
        {
            var names = new SubjectAlternativeNameBuilder();
            names.AddIpAddress(System.Net.IPAddress.Loopback);
            request.CertificateExtensions.Add(names.Build());
        }
        else
        {
            request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.2")], critical: false));
        }

        using var created = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        // Through PKCS#12 so the private key is usable by the TLS stack.
        return X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pfx), null);
    }
}
