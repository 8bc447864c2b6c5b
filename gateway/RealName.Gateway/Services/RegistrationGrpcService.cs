using Microsoft.Extensions.Options;
using RealName.Contracts.V1;
using RealName.Gateway.Identity;
using RealName.Grains.Subscribers;
using RealName.Rules;
using GrainCardType = RealName.Rules.CardType;

namespace RealName.Gateway.Services;

/// <summary>realname.v1.RegistrationService: validates, protects identity data, and hands the rules to the grains.</summary>
[Authorize(Roles = Roles.Sales)]
public sealed class RegistrationGrpcService(
    IClusterClient cluster,
    IdentityProtector identities,
    CivilCalendar calendar,
    HolderProofs holders,
    TimeProvider clock) : RegistrationService.RegistrationServiceBase
{
    public override async Task<RegisterSubscriberResponse> RegisterSubscriber(RegisterSubscriberRequest request, ServerCallContext context)
    {
        var violations = new Violations();
        EvidenceReader.PhoneNumber(request.PhoneNumber, violations);
        EvidenceReader.RequestKey(request.IdempotencyKey, "idempotency_key", violations);
        var channel = EvidenceReader.Channel(request.Channel, violations);
        // A caller speaks only for its own carriers, outlets, channel kind and devices.
        ScopeOf(context, channel);
        var reader = new EvidenceReader(identities, calendar.Today(clock), violations);
        var cardType = EvidenceReader.CardType(request.CardType, violations);

        // An IoT card without general data use may come without a personal customer.
        var customer = request.Customer is null && cardType == GrainCardType.Iot ? null : reader.Person(request.Customer, "customer");
        var agent = request.Agent is null ? null : reader.Person(request.Agent, "agent");
        var guardian = request.Guardian is null ? null : reader.Person(request.Guardian, "guardian");
        // Whether a corporate or IoT card has its enterprise is the grain's rule (ENTERPRISE_REQUIRED); a given one must be valid.
        var enterprise = cardType == GrainCardType.Personal ? null : EvidenceReader.Enterprise(request.Enterprise, "enterprise", violations);
        var iot = request.Iot is { } i ? new Grains.Subscribers.IotProfile(i.Voice, i.Sms, i.DirectionalDataOnly, i.MonthlyDataMb) : null;
        violations.Add(CardRules.CheckIotProfile(cardType, iot is null ? null : new IotUsage(iot.DirectionalDataOnly, iot.MonthlyDataMb)));
        var processesFaces = cardType != GrainCardType.Iot || request.Customer is not null || request.Agent is not null || request.Guardian is not null;
        var consent = EvidenceReader.Consent(request.Consent, processesFaces, clock.GetUtcNow(), violations);
        var riskNotice = EvidenceReader.RiskNotice(request.RiskNotice, channel?.Kind, clock.GetUtcNow(), violations);
        var liveness = EvidenceReader.Liveness(request.Liveness, "liveness", violations);

        await RecordRuleRefusal(request, channel, cardType, violations);
        violations.ThrowIfAny();

        // The client's deadline and cancellation reach the grain and its face work: a request given up is abandoned.
        var outcome = await Subscriber(request.PhoneNumber).Register(
            new RegistrationRequest(request.IdempotencyKey, cardType, channel!, customer, agent, guardian, liveness, enterprise, iot) { Consent = consent, RiskNotice = riskNotice, Fingerprint = RequestFingerprint.Of(request) }, context.CancellationToken);
        return new RegisterSubscriberResponse { Subscriber = outcome.Accepted().ToContract(), Replayed = outcome.Replayed };
    }

    public override async Task<GetSubscriberResponse> GetSubscriber(GetSubscriberRequest request, ServerCallContext context)
    {
        var violations = new Violations();
        EvidenceReader.PhoneNumber(request.PhoneNumber, violations);
        violations.ThrowIfAny();

        var record = await Record(request.PhoneNumber);
        CallerRights.Of(context).RequireCarrier(record.RegisteredBy.CarrierId);
        return new GetSubscriberResponse { Subscriber = record.ToContract() };
    }

    public override async Task<ReVerifySubscriberResponse> ReVerifySubscriber(ReVerifySubscriberRequest request, ServerCallContext context)
    {
        var violations = new Violations();
        EvidenceReader.PhoneNumber(request.PhoneNumber, violations);
        EvidenceReader.RequestKey(request.RequestId, "request_id", violations);
        var channel = EvidenceReader.Channel(request.Channel, violations);
        var scope = ScopeOf(context, channel);
        var reader = new EvidenceReader(identities, calendar.Today(clock), violations);
        var live = reader.Image(request.LiveImage, "live_image");
        var portrait = request.PortraitImage.IsEmpty ? null : reader.Image(request.PortraitImage, "portrait_image");
        violations.ThrowIfAny();
        scope.RequireCarrier((await Record(request.PhoneNumber)).RegisteredBy.CarrierId);

        var outcome = await Subscriber(request.PhoneNumber).ReVerify(new ReVerification(request.RequestId, live!, channel!) { Portrait = portrait, Fingerprint = RequestFingerprint.Of(request) }, context.CancellationToken);
        return new ReVerifySubscriberResponse { Subscriber = outcome.Accepted().ToContract(), Replayed = outcome.Replayed };
    }

    public override async Task<CancelSubscriberResponse> CancelSubscriber(CancelSubscriberRequest request, ServerCallContext context)
    {
        var violations = new Violations();
        EvidenceReader.PhoneNumber(request.PhoneNumber, violations);
        violations.ThrowIfAny();
        await holders.RequireCancellationRight(CallerRights.Of(context), await Record(request.PhoneNumber), request.Proof, context.CancellationToken);

        var reason = string.IsNullOrWhiteSpace(request.Reason) ? "CANCELLED_BY_HOLDER" : request.Reason.Trim();
        var outcome = await Subscriber(request.PhoneNumber).Cancel(Caller.Name(context), reason);
        return new CancelSubscriberResponse { Subscriber = outcome.Accepted().ToContract() };
    }

    /// <summary>
    /// A well-formed request refused by a document rule (an expired document) is a registration attempt the
    /// auditors count among refusals, so the number's grain records it (the grains are the audit log's one
    /// writer) before the error goes back. Malformed input (a bad check digit, a missing field) is answered
    /// INVALID_ARGUMENT and is not an attempt.
    /// </summary>
    private async Task RecordRuleRefusal(RegisterSubscriberRequest request, Grains.ChannelFacts? channel, GrainCardType cardType, Violations violations)
    {
        if (!violations.OnlyRefusals || channel is null)
        {
            return;
        }

        var codes = violations.Rules.Select(r => r.Reason).Distinct(StringComparer.Ordinal);
        await Subscriber(request.PhoneNumber).RecordDocumentRefusal(new DocumentRefusal(request.IdempotencyKey, channel, cardType, [.. codes]));
    }

    private ISubscriberGrain Subscriber(string phoneNumber) => cluster.GetGrain<ISubscriberGrain>(phoneNumber);

    private async Task<SubscriberRecord> Record(string phoneNumber) =>
        await Subscriber(phoneNumber).GetRecord()
            ?? throw GrpcErrors.For(new RuleViolation(ReasonCode.SubscriberNotFound, "phone_number", "No registration exists for this number."));

    private static CallerRights ScopeOf(ServerCallContext context, Grains.ChannelFacts? channel)
    {
        var scope = CallerRights.Of(context);
        if (channel is not null)
        {
            scope.Require(channel);
        }

        return scope;
    }
}
