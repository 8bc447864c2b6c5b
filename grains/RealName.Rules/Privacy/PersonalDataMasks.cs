using System.Text.RegularExpressions;

namespace RealName.Rules;

/// <summary>
/// How personal data is shown where it must not appear in clear: masked document numbers and names in
/// records, and any phone or ID number inside log text (the grid's own messages and the exceptions and
/// grain ids of the libraries under it).
/// </summary>
public static partial class PersonalDataMasks
{
    /// <summary>A number with its first three and last two characters kept ("310***********1234" style).</summary>
    public static string Number(string normalizedNumber) =>
        normalizedNumber.Length <= 5
            ? new string('*', normalizedNumber.Length)
            : string.Concat(normalizedNumber.AsSpan(0, 3), new string('*', normalizedNumber.Length - 5), normalizedNumber.AsSpan(normalizedNumber.Length - 2));

    /// <summary>A name with its first character kept.</summary>
    public static string Name(string name)
    {
        var trimmed = name.Trim();
        return trimmed.Length == 0 ? "" : string.Concat(trimmed.AsSpan(0, 1), new string('*', Math.Max(1, trimmed.Length - 1)));
    }

    /// <summary>
    /// The text with every mainland mobile number (11 digits starting 1[3-9]) and every resident ID number
    /// (18 characters, or the 15-digit first generation) masked as <see cref="Number"/> does.
    /// </summary>
    public static string InText(string text) =>
        string.IsNullOrEmpty(text) ? text : PersonalNumber().Replace(text, match =>
        {
            var number = match.Groups["number"];
            return string.Concat(match.ValueSpan[..(number.Index - match.Index)], Number(number.Value));
        });

    // Digit runs not touching other digits: a resident ID (17 digits + digit or X), a first-generation ID
    // (15 digits), or a mobile number (11 digits from 13–19, after an optional country code 86 that stays visible).
    [GeneratedRegex(@"(?<![0-9])(?:(?<number>[0-9]{17}[0-9Xx]|[0-9]{15})|(?:86)?(?<number>1[3-9][0-9]{9}))(?![0-9])", RegexOptions.CultureInvariant)]
    private static partial Regex PersonalNumber();
}
