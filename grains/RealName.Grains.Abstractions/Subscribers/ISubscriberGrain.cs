namespace RealName.Grains.Subscribers;

/// <summary>A request to register a number to an owner.</summary>
[GenerateSerializer, Immutable]
public sealed record SubscriberRegistration(
    [property: Id(0)] SubscriberOwner Owner,
    [property: Id(1)] ChannelFacts Channel,
    [property: Id(2)] string IdempotencyKey);

/// <summary>Why a rule refused a request. <see cref="Code"/> is the machine-readable reason clients see.</summary>
[GenerateSerializer, Immutable]
public sealed record Refusal(
    [property: Id(0)] string Code,
    [property: Id(1)] string Message);

/// <summary>The outcome of a registration: the stored record, or the rule that refused it.</summary>
[GenerateSerializer, Immutable]
public sealed record RegistrationOutcome(
    [property: Id(0)] SubscriberRecord? Record,
    [property: Id(1)] Refusal? Refusal,
    [property: Id(2)] bool Replayed);

/// <summary>One phone number (grain key: the 11-digit number).</summary>
public interface ISubscriberGrain : IGrainWithStringKey
{
    /// <summary>Registers the number; a retry with the same idempotency key replays the first outcome.</summary>
    Task<RegistrationOutcome> Register(SubscriberRegistration registration);

    /// <summary>The stored record, or null when the number was never registered.</summary>
    Task<SubscriberRecord?> GetRecord();
}
