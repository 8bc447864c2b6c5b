using Grpc.Core;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;
using RealName.Contracts.V1;
using RealName.Gateway.Errors;
using RealName.Gateway.Identity;
using RealName.Gateway.Security;
using RealName.Gateway.Validation;
using RealName.Grains.Subscribers;
using GrainCardType = RealName.Grains.CardType;

namespace RealName.Gateway.Services;

/// <summary>realname.v1.RegistrationService: validates, protects identity data, and hands the rules to the grains.</summary>
[Authorize(Roles = Roles.Channel)]
public sealed class RegistrationGrpcService(
    IClusterClient cluster,
    IdentityProtector identities,
    IOptions<IdentityOptions> identityOptions,
    TimeProvider clock) : RegistrationService.RegistrationServiceBase
{
    public override async Task<RegisterSubscriberResponse> RegisterSubscriber(RegisterSubscriberRequest request, ServerCallContext context)
    {
        var violations = new Violations();
        EvidenceReader.PhoneNumber(request.PhoneNumber, violations);
        EvidenceReader.RequestKey(request.IdempotencyKey, "idempotency_key", violations);
        var channel = ChannelRules.Check(request.Channel, violations);
        var reader = new EvidenceReader(identities, Today(), violations);
        var cardType = EvidenceReader.CardType(request.CardType);

        // An IoT card without general data use may come without a personal customer.
        var customer = request.Customer is null && cardType == GrainCardType.Iot ? null : reader.Person(request.Customer, "customer");
        var agent = request.Agent is null ? null : reader.Person(request.Agent, "agent");
        var guardian = request.Guardian is null ? null : reader.Person(request.Guardian, "guardian");
        var enterprise = cardType == GrainCardType.Personal ? null : EnterpriseRules.Check(request.Enterprise, "enterprise", violations);
        if (cardType == GrainCardType.Iot && request.Iot is null)
        {
            violations.Add("iot", "required for IoT cards: the function limits");
        }

        await RecordRuleRefusal(request, channel, cardType, violations);
        violations.ThrowIfAny();

        var liveness = request.Liveness is { } l ? new Grains.Subscribers.LivenessAttestation(l.Provider, l.SessionId, l.Passed, l.Score) : null;
        var iot = request.Iot is { } i ? new Grains.Subscribers.IotProfile(i.Voice, i.Sms, i.DirectionalDataOnly, i.MonthlyDataMb) : null;
        var outcome = await Subscriber(request.PhoneNumber).Register(
            new RegistrationRequest(request.IdempotencyKey, cardType, channel!, customer, agent, guardian, liveness, enterprise, iot));
        if (outcome.Refusal is { } refusal)
        {
            throw GrpcErrors.Refused(refusal);
        }

        return new RegisterSubscriberResponse { Subscriber = outcome.Record!.ToContract(), Replayed = outcome.Replayed };
    }

    public override async Task<GetSubscriberResponse> GetSubscriber(GetSubscriberRequest request, ServerCallContext context)
    {
        var violations = new Violations();
        EvidenceReader.PhoneNumber(request.PhoneNumber, violations);
        violations.ThrowIfAny();

        var record = await Subscriber(request.PhoneNumber).GetRecord()
            ?? throw GrpcErrors.NotFound("SUBSCRIBER_NOT_FOUND", "No registration exists for this number.");
        return new GetSubscriberResponse { Subscriber = record.ToContract() };
    }

    public override async Task<ReVerifySubscriberResponse> ReVerifySubscriber(ReVerifySubscriberRequest request, ServerCallContext context)
    {
        var violations = new Violations();
        EvidenceReader.PhoneNumber(request.PhoneNumber, violations);
        EvidenceReader.RequestKey(request.RequestId, "request_id", violations);
        var channel = ChannelRules.Check(request.Channel, violations);
        var live = new EvidenceReader(identities, Today(), violations).Image(request.LiveImage, "live_image");
        violations.ThrowIfAny();

        var outcome = await Subscriber(request.PhoneNumber).ReVerify(new ReVerification(request.RequestId, live!, channel!));
        if (outcome.Refusal is { } refusal)
        {
            throw GrpcErrors.Refused(refusal);
        }

        return new ReVerifySubscriberResponse { Subscriber = outcome.Record!.ToContract(), Replayed = outcome.Replayed };
    }

    public override async Task<CancelSubscriberResponse> CancelSubscriber(CancelSubscriberRequest request, ServerCallContext context)
    {
        var violations = new Violations();
        EvidenceReader.PhoneNumber(request.PhoneNumber, violations);
        violations.ThrowIfAny();

        var reason = string.IsNullOrWhiteSpace(request.Reason) ? "CANCELLED_BY_HOLDER" : request.Reason.Trim();
        var outcome = await Subscriber(request.PhoneNumber).Cancel(Caller.Name(context), reason);
        if (outcome.Refusal is { } refusal)
        {
            throw GrpcErrors.Refused(refusal);
        }

        return new CancelSubscriberResponse { Subscriber = outcome.Record!.ToContract() };
    }

    /// <summary>
    /// A well-formed request refused by a document rule (expired, bad check digit, impossible birth date…)
    /// is a registration attempt the auditors count among refusals, so the number's grain records it (the
    /// grains are the audit log's one writer) before the error goes back.
    /// </summary>
    private async Task RecordRuleRefusal(RegisterSubscriberRequest request, Grains.ChannelFacts? channel, GrainCardType cardType, Violations violations)
    {
        var (codes, all) = violations.ReasonCodes();
        if (violations.Count == 0 || !all || channel is null || !PhoneNumbers.IsValid(request.PhoneNumber) || request.IdempotencyKey.Length is < 8 or > 128)
        {
            return;
        }

        await Subscriber(request.PhoneNumber).RecordDocumentRefusal(new DocumentRefusal(request.IdempotencyKey, channel, cardType, [.. codes]));
    }

    private ISubscriberGrain Subscriber(string phoneNumber) => cluster.GetGrain<ISubscriberGrain>(phoneNumber);

    private DateOnly Today() => identityOptions.Value.Today(clock);
}
