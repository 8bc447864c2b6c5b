using RealName.Contracts.V1;
using RealName.Grains.Subscribers;
using RealName.Rules;

namespace RealName.Gateway.Services;

/// <summary>
/// realname.v1.SelfServiceService (一证通查): list and dispute the numbers under one's identity after a
/// face check. A caller sees and disputes only the numbers of its own carriers.
/// </summary>
[Authorize(Roles = Roles.Sales)]
public sealed class SelfServiceGrpcService(IClusterClient cluster, HolderProofs holders) : SelfServiceService.SelfServiceServiceBase
{
    public override async Task<ListNumbersResponse> ListNumbers(ListNumbersRequest request, ServerCallContext context)
    {
        var scope = CallerRights.Of(context);
        var verified = await holders.Verify(scope, request.Proof, "", Guid.NewGuid().ToString("N"), new Violations(), context.CancellationToken);
        var response = new ListNumbersResponse { Face = verified.Face!.ToContract() };
        foreach (var held in verified.Numbers.Where(n => scope.ActsFor(n.CarrierId)))
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
        var scope = CallerRights.Of(context);
        var verified = await holders.Verify(scope, request.Proof, request.PhoneNumber, request.DisputeId, violations, context.CancellationToken);
        HolderProofs.RequireHeld(verified, request.PhoneNumber);
        scope.RequireCarrier(verified.Numbers.First(n => n.PhoneNumber == request.PhoneNumber).CarrierId);

        var result = await cluster.GetGrain<ISubscriberGrain>(request.PhoneNumber).Dispute("holder", request.DisputeId);
        return new DisputeNumberResponse { ReReviewStarted = result == ReReviewTriggerResult.Started };
    }
}
