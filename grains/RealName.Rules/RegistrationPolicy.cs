namespace RealName.Rules;

/// <summary>A person of a registration as the rules see them: no document number, only the dates on the document.</summary>
public sealed record PersonFacts(DateOnly? BirthDate, DateOnly? ValidUntil);

/// <summary>What the registration rules need to know about a request (the grains build it from what they receive).</summary>
public sealed record RegistrationFacts(
    CardType CardType,
    ChannelKind Channel,
    PersonFacts? Customer,
    PersonFacts? Agent,
    PersonFacts? Guardian,
    bool HasEnterprise,
    IotUsage? Iot,
    LivenessResult? Liveness);

/// <summary>
/// The rules a registration must pass before any face is compared, in order: card type, the documents'
/// dates (expiry, past birth date), the online channel's liveness policy, the minor rule. The first
/// violation refuses the registration. The grain is the authority; the gateway answers the document
/// rules early from the same code.
/// </summary>
public static class RegistrationPolicy
{
    public static RuleViolation? Check(RegistrationFacts request, RuleOptions options, DateOnly today)
    {
        var card = CardRules.Check(request.CardType, request.HasEnterprise, request.Customer is not null, request.Iot, options);
        if (card is not null)
        {
            return card;
        }

        foreach (var (field, person) in new[] { ("customer", request.Customer), ("agent", request.Agent), ("guardian", request.Guardian) })
        {
            if (person is not null && DocumentRules.CheckValidity(person.BirthDate, person.ValidUntil, today, $"{field}.document") is [var first, ..])
            {
                return first;
            }
        }

        return LivenessPolicy.Check(request.Channel, request.Customer is not null, request.Liveness, options)
            ?? AgeRules.Check(request.Customer?.BirthDate, request.Guardian is not null, request.Guardian?.BirthDate, today, options);
    }
}
