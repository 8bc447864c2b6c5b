using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Grpc.Net.Client;

namespace RealName.IntegrationTests.Infrastructure;

/// <summary>
/// A second gateway of a grid whose gRPC endpoint is HTTPS, configured the way an operator would
/// (Kestrel endpoint URL and certificate file), with a self-signed server certificate made for the test.
/// </summary>
public sealed class TlsGateway : IAsyncDisposable
{
    private readonly string pfx;

    private TlsGateway(GatewayServer gateway, X509Certificate2 serverCertificate, string pfx, int port)
    {
        Gateway = gateway;
        ServerCertificate = serverCertificate;
        this.pfx = pfx;
        Port = port;
    }

    public GatewayServer Gateway { get; }

    public X509Certificate2 ServerCertificate { get; }

    public int Port { get; }

    public static async Task<TlsGateway> StartAsync(GridFixture grid)
    {
        var certificate = SelfSigned("CN=127.0.0.1", clientAuthentication: false);
        var pfx = Path.Combine(Path.GetTempPath(), $"realname-tls-{Guid.NewGuid():N}.pfx");
        await File.WriteAllBytesAsync(pfx, certificate.Export(X509ContentType.Pfx, "test-password"));
        var port = FreePort.Next();
        var gateway = await GatewayServer.StartAsync(grid.Database, grid.Silo.ClusterId, new Dictionary<string, string?>
        {
            ["Kestrel:Endpoints:Grpc:Url"] = $"https://127.0.0.1:{port}",
            ["Kestrel:Endpoints:Grpc:Certificate:Path"] = pfx,
            ["Kestrel:Endpoints:Grpc:Certificate:Password"] = "test-password",
        });
        return new TlsGateway(gateway, certificate, pfx, port);
    }

    /// <summary>A channel that trusts exactly the test's server certificate, presenting <paramref name="clientCertificate"/> if given.</summary>
    public GrpcChannel Channel(X509Certificate2? clientCertificate = null)
    {
        var handler = new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, presented, _, _) => presented?.Thumbprint == ServerCertificate.Thumbprint,
        };
        if (clientCertificate is not null)
        {
            handler.ClientCertificateOptions = ClientCertificateOption.Manual;
            handler.ClientCertificates.Add(clientCertificate);
        }

        return GrpcChannel.ForAddress($"https://127.0.0.1:{Port}", new GrpcChannelOptions { HttpHandler = handler, DisposeHttpClient = true });
    }

    /// <summary>A self-signed RSA certificate: for the loopback address (server) or for client authentication.</summary>
    public static X509Certificate2 SelfSigned(string subject, bool clientAuthentication)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        if (clientAuthentication)
        {
            request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.2")], critical: false));
        }
        else
        {
            var names = new SubjectAlternativeNameBuilder();
            names.AddIpAddress(System.Net.IPAddress.Loopback);
            request.CertificateExtensions.Add(names.Build());
        }

        using var created = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        // Through PKCS#12 so the private key is usable by the TLS stack.
        return X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pfx), null);
    }

    public async ValueTask DisposeAsync()
    {
        await Gateway.DisposeAsync();
        ServerCertificate.Dispose();
        File.Delete(pfx);
    }
}
