using System.Text.RegularExpressions;

namespace RealName.Gateway.Validation;

/// <summary>Mainland mobile numbers: 11 digits, starting 1 then 3-9.</summary>
public static partial class PhoneNumbers
{
    public static bool IsValid(string value) => Pattern().IsMatch(value);

    [GeneratedRegex(@"^1[3-9]\d{9}$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
