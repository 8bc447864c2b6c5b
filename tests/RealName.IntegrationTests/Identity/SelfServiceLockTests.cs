using Google.Rpc;
using Grpc.Core;
using RealName.Contracts.V1;
using RealName.IntegrationTests.Infrastructure;
using RealName.IntegrationTests.Rules;

namespace RealName.IntegrationTests.Identity;

/// <summary>Self-service needs a verified liveness attestation and stops answering after too many failed face proofs.</summary>
[Collection(GridCollection.Name)]
public sealed class SelfServiceLockTests(GridFixture grid)
{
    private RegistrationService.RegistrationServiceClient Channel => new(grid.Gateway.As(Roles.RetailTerminal));

    private SelfServiceService.SelfServiceServiceClient SelfService => new(grid.Gateway.As(Roles.OnlineSales));

    [Fact]
    public async Task A_proof_without_a_verified_liveness_attestation_is_refused_before_any_face_is_compared()
    {
        var identity = Requests.NewResidentId();
        await Channel.RegisterSubscriberAsync(Requests.Register(Requests.NewPhoneNumber(), identity));
        var missing = SelfServiceTests.Proof(identity, Faces.CardHolder.OtherLive);
        missing.Liveness = null;
        var forged = SelfServiceTests.Proof(identity, Faces.CardHolder.OtherLive);
        forged.Liveness.Score = 0.999;

        await RpcAssert.Refused("LIVENESS_REQUIRED", () => SelfService.ListNumbersAsync(new ListNumbersRequest { Proof = missing }));
        await RpcAssert.Refused("LIVENESS_UNVERIFIED", () => SelfService.ListNumbersAsync(new ListNumbersRequest { Proof = forged }));
    }

    [Fact]
    public async Task Five_failed_face_proofs_lock_the_identity_s_self_service_with_RESOURCE_EXHAUSTED()
    {
        var identity = Requests.NewResidentId();
        await Channel.RegisterSubscriberAsync(Requests.Register(Requests.NewPhoneNumber(), identity));
        for (var i = 0; i < 5; i++)
        {
            await RpcAssert.Refused("FACE_MISMATCH", () => SelfService.ListNumbersAsync(new ListNumbersRequest { Proof = SelfServiceTests.Proof(identity, Faces.Stranger) }));
        }

        // Now even the holder's own face is not compared until the lock expires.
        var error = await Assert.ThrowsAsync<RpcException>(() =>
            SelfService.ListNumbersAsync(new ListNumbersRequest { Proof = SelfServiceTests.Proof(identity, Faces.CardHolder.OtherLive) }).ResponseAsync);

        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
        var status = error.GetRpcStatus();
        Assert.Equal("TOO_MANY_FAILED_PROOFS", status?.GetDetail<ErrorInfo>()?.Reason);
        Assert.InRange(status!.GetDetail<RetryInfo>()!.RetryDelay.ToTimeSpan(), TimeSpan.FromMinutes(29), TimeSpan.FromMinutes(30));
        await RpcAssert.Refused("NO_ENROLLED_FACE", () => SelfService.ListNumbersAsync(new ListNumbersRequest { Proof = SelfServiceTests.Proof(Requests.NewResidentId(), Faces.Stranger) }));
    }
}
