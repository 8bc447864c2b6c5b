using System.Text.RegularExpressions;

namespace RealName.Rules;

/// <summary>Mainland mobile numbers: 11 digits, starting 1 then 3-9.</summary>
public static partial class PhoneNumbers
{
    public static bool IsValid(string value) => Pattern().IsMatch(value);

    public static RuleViolation? Check(string value, string field = "phone_number") =>
        IsValid(value) ? null : new(ReasonCode.InvalidPhoneNumber, field, "11 digits starting with 1[3-9] are required");

    // ASCII digits to the very end: \d would take any Unicode digit and $ a trailing newline, and either would make
    // a second grain key (a second registration) for the same number.
    [GeneratedRegex(@"^1[3-9][0-9]{9}\z", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
