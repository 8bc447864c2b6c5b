using Grpc.Core;
using Microsoft.Extensions.Options;
using RealName.Contracts.V1;
using RealName.Gateway.Errors;
using RealName.Gateway.Identity;
using RealName.Gateway.Validation;
using RealName.Grains.Subscribers;

namespace RealName.Gateway.Services;

/// <summary>realname.v1.RegistrationService: validates, protects identity data, and hands the rules to the grains.</summary>
[Microsoft.AspNetCore.Authorization.Authorize(Roles = Security.Roles.Channel)]
public sealed class RegistrationGrpcService(
    IClusterClient cluster,
    IdentityProtector identities,
    IOptions<IdentityOptions> identityOptions,
    TimeProvider clock) : RegistrationService.RegistrationServiceBase
{
    public override async Task<RegisterSubscriberResponse> RegisterSubscriber(RegisterSubscriberRequest request, ServerCallContext context)
    {
        var violations = new Violations();
        CheckPhoneNumber(request.PhoneNumber, violations);
        var document = DocumentRules.Check(request.Document, Today(), violations);
        var channel = ChannelRules.Check(request.Channel, violations);
        if (request.IdempotencyKey.Length is < 8 or > 128)
        {
            violations.Add("idempotency_key", "required: 8 to 128 characters");
        }

        violations.ThrowIfAny();

        var owner = new SubscriberOwner(
            identities.IdentityKey(document!.Kind, document.Number),
            document.Kind,
            IdentityProtector.MaskNumber(document.Number),
            IdentityProtector.MaskName(document.Name));
        var outcome = await cluster.GetGrain<ISubscriberGrain>(request.PhoneNumber)
            .Register(new SubscriberRegistration(owner, channel!, request.IdempotencyKey));
        if (outcome.Refusal is { } refusal)
        {
            throw GrpcErrors.Refused(refusal);
        }

        return new RegisterSubscriberResponse { Subscriber = outcome.Record!.ToContract(), Replayed = outcome.Replayed };
    }

    public override async Task<GetSubscriberResponse> GetSubscriber(GetSubscriberRequest request, ServerCallContext context)
    {
        var violations = new Violations();
        CheckPhoneNumber(request.PhoneNumber, violations);
        violations.ThrowIfAny();

        var record = await cluster.GetGrain<ISubscriberGrain>(request.PhoneNumber).GetRecord()
            ?? throw GrpcErrors.NotFound("SUBSCRIBER_NOT_FOUND", "No registration exists for this number.");
        return new GetSubscriberResponse { Subscriber = record.ToContract() };
    }

    private static void CheckPhoneNumber(string phoneNumber, Violations violations)
    {
        if (!PhoneNumbers.IsValid(phoneNumber))
        {
            violations.Add("phone_number", "INVALID_PHONE_NUMBER: 11 digits starting with 1[3-9] are required");
        }
    }

    private DateOnly Today() => DateOnly.FromDateTime(clock.GetUtcNow().ToOffset(identityOptions.Value.CalendarUtcOffset).DateTime);
}
