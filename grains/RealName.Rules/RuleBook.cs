namespace RealName.Rules;

/// <summary>
/// The real-name rule book (../shared/docs/domain.md) as plain code, one home per rule:
/// <see cref="DocumentRules"/> (rule 1: kinds, formats, GB 11643 check digit, birth date, expiry),
/// <see cref="PhoneNumbers"/>, <see cref="ChannelRules"/> (责任倒查: who made the request),
/// <see cref="CreditCodes"/> (GB 32100), <see cref="CardRules"/> (corporate and IoT cards, rule 7),
/// <see cref="AgeRules"/> (minors and guardians), <see cref="LivenessPolicy"/> (online channels),
/// <see cref="IdentityLimits"/> (rule 4, 一证五号, and many cards), <see cref="ReReviewRules"/> (rule 6),
/// and <see cref="RegistrationPolicy"/> which runs the registration rules in order. Each rule answers with a
/// <see cref="RuleViolation"/> carrying one <see cref="ReasonCode"/>; dates are civil dates of
/// <see cref="CivilCalendar"/>. Architecture tests find the assembly through this type.
/// </summary>
public static class RuleBook
{
}
