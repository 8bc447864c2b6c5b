namespace RealName.Rules;

/// <summary>An IoT card's requested functions, as the rule needs them.</summary>
public sealed record IotUsage(bool DirectionalDataOnly, int MonthlyDataMb);

/// <summary>
/// Domain rule 7 and the card types: corporate and IoT cards belong to an enterprise; an IoT card with
/// general data above <see cref="RuleOptions.IotGeneralDataThresholdMb"/> a month needs the user's personal
/// real-name registration; every other card needs the customer. IoT cards are issued only under an approval
/// (a fact the enterprise grain keeps) and within its quota.
/// </summary>
public static class CardRules
{
    public static RuleViolation? Check(CardType cardType, bool hasEnterprise, bool hasCustomer, IotUsage? iot, RuleOptions options)
    {
        if (cardType is CardType.Corporate or CardType.Iot && !hasEnterprise)
        {
            return new(ReasonCode.EnterpriseRequired, "enterprise", "Corporate and IoT cards are issued to an enterprise; its facts are required.");
        }

        if (CheckIotProfile(cardType, iot) is { } missing)
        {
            return missing;
        }

        if (cardType != CardType.Iot)
        {
            return hasCustomer ? null : new(ReasonCode.CustomerRequired, "customer", "The customer's document, portrait and live photo are required.");
        }

        var generalData = iot is { DirectionalDataOnly: false } usage && usage.MonthlyDataMb > options.IotGeneralDataThresholdMb;
        return generalData && !hasCustomer
            ? new(ReasonCode.PersonalRealNameRequired, "customer",
                $"An IoT card with general data above {options.IotGeneralDataThresholdMb} MB a month needs the user's personal real-name registration.")
            : null;
    }

    /// <summary>An IoT card states its function limits (voice, SMS, data); a data allowance is never negative.</summary>
    public static RuleViolation? CheckIotProfile(CardType cardType, IotUsage? iot) =>
        cardType == CardType.Iot && iot is null ? new(ReasonCode.FieldRequired, "iot", "required for IoT cards: the function limits")
        : iot is { MonthlyDataMb: < 0 } ? new(ReasonCode.OutOfRange, "iot.monthly_data_mb", "a monthly data allowance of 0 MB or more")
        : null;

    /// <summary>Whether an enterprise may take one more IoT card: it needs an approval (its quota; null when none) with room left.</summary>
    public static RuleViolation? CheckIotIssue(int? approvedQuota, int cardsHeld) => approvedQuota switch
    {
        null => new(ReasonCode.IotNotApproved, "enterprise", "The enterprise has no IoT approval after risk assessment."),
        { } quota when cardsHeld >= quota => new(ReasonCode.IotQuotaExceeded, "enterprise", "The enterprise's approved IoT quota is used up."),
        _ => null,
    };
}
