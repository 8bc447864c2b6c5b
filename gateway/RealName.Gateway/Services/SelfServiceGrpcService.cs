using Grpc.Core;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;
using RealName.Contracts.V1;
using RealName.Gateway.Errors;
using RealName.Gateway.Identity;
using RealName.Gateway.Security;
using RealName.Gateway.Validation;
using RealName.Grains;
using RealName.Grains.Identities;
using RealName.Grains.Subscribers;
using RealName.Rules;

namespace RealName.Gateway.Services;

/// <summary>realname.v1.SelfServiceService (一证通查): list and dispute the numbers under one's identity after a face check.</summary>
[Authorize(Roles = Roles.Channel)]
public sealed class SelfServiceGrpcService(
    IClusterClient cluster,
    IdentityProtector identities,
    CivilCalendar calendar,
    TimeProvider clock) : SelfServiceService.SelfServiceServiceBase
{
    public override async Task<ListNumbersResponse> ListNumbers(ListNumbersRequest request, ServerCallContext context)
    {
        var verified = await Verify(request.Proof, "", Guid.NewGuid().ToString("N"), new Violations());
        var response = new ListNumbersResponse { Face = verified.Face!.ToContract() };
        foreach (var held in verified.Numbers)
        {
            var record = await cluster.GetGrain<ISubscriberGrain>(held.PhoneNumber).GetRecord();
            response.Numbers.Add(new Contracts.V1.HeldNumber
            {
                PhoneNumber = held.PhoneNumber,
                CarrierId = held.CarrierId,
                Status = (record?.Status ?? RealName.Rules.SubscriberStatus.None).ToContract(),
                OutletId = record?.RegisteredBy.OutletId ?? "",
            });
        }

        return response;
    }

    public override async Task<DisputeNumberResponse> DisputeNumber(DisputeNumberRequest request, ServerCallContext context)
    {
        var violations = new Violations();
        EvidenceReader.PhoneNumber(request.PhoneNumber, violations);
        EvidenceReader.RequestKey(request.DisputeId, "dispute_id", violations);
        var verified = await Verify(request.Proof, request.PhoneNumber, request.DisputeId, violations);
        if (verified.Numbers.All(n => n.PhoneNumber != request.PhoneNumber))
        {
            throw GrpcErrors.Refused(new RuleViolation(ReasonCode.NumberNotUnderIdentity, "phone_number", "The number is not held under this identity."));
        }

        var result = await cluster.GetGrain<ISubscriberGrain>(request.PhoneNumber).Dispute("holder", request.DisputeId);
        return new DisputeNumberResponse { ReReviewStarted = result == ReReviewTriggerResult.Started };
    }

    /// <summary>The holder check; <paramref name="phoneNumber"/> is the number the request is about (signed in the liveness attestation).</summary>
    private async Task<HolderVerification> Verify(HolderProof? proof, string phoneNumber, string requestId, Violations violations)
    {
        if (proof is null)
        {
            violations.Add("proof", "required");
            violations.ThrowIfAny();
        }

        var reader = new EvidenceReader(identities, calendar.Today(clock), violations);
        var document = reader.Document(proof!.Document, "proof.document");
        var live = reader.Image(proof.LiveImage, "proof.live_image");
        var channel = EvidenceReader.Channel(proof.Channel, violations, "proof.channel");
        violations.ThrowIfAny();

        var verified = await cluster.GetGrain<IIdentityGrain>(reader.Owner(document!).IdentityKey)
            .VerifyHolder(new HolderCheck(live!, channel!, proof.Liveness?.ToGrain(), phoneNumber, requestId));
        if (verified.Refusal is { } refusal)
        {
            throw GrpcErrors.Refused(refusal);
        }

        return verified;
    }
}
