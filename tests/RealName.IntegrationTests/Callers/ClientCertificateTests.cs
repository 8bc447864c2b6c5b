using System.Security.Cryptography;
using Grpc.Core;
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
        using var mapped = TlsGateway.SelfSigned("CN=auditor-terminal", clientAuthentication: true);
        using var stranger = TlsGateway.SelfSigned("CN=stranger", clientAuthentication: true);
        await using var tls = await TlsGateway.StartAsync(grid);
        var issued = await TestCallers.IssueAsync(grid.Gateway, "tls-auditor", CallerRole.Auditor);
        var thumbprint = mapped.GetCertHashString(HashAlgorithmName.SHA256);
        var attached = await TestCallers.Admin(grid.Gateway).AttachCallerCertificateAsync(new AttachCallerCertificateRequest { Name = issued.Caller.Name, ThumbprintSha256 = thumbprint.ToLowerInvariant() });
        Assert.Equal([thumbprint], attached.Caller.CertificateThumbprints);

        using var withMapped = tls.Channel(mapped);
        using var withStranger = tls.Channel(stranger);
        using var withNone = tls.Channel();
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
        var (outcome, elapsed) = await TestCallers.UntilRefused(() => audit.VerifyAuditChainAsync(new VerifyAuditChainRequest()).ResponseAsync);

        Assert.Equal((StatusCode.Unauthenticated, "CREDENTIAL_REJECTED"), outcome);
        Assert.True(elapsed < TimeSpan.FromSeconds(5), $"refused after {elapsed.TotalSeconds:0.0} s");
    }
}
