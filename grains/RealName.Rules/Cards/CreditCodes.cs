using System.Text.RegularExpressions;

namespace RealName.Rules;

/// <summary>Unified social credit codes (GB 32100): 18 characters over a 31-symbol alphabet with a check character.</summary>
public static partial class CreditCodes
{
    private const string Alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";
    private static readonly int[] Weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

    /// <summary>The violations of an enterprise's facts (credit code and name); the code is compared upper-case and trimmed.</summary>
    public static IReadOnlyList<RuleViolation> Check(string creditCode, string name, string field = "enterprise")
    {
        var violations = new List<RuleViolation>();
        if (!IsValid(Normalize(creditCode)))
        {
            violations.Add(new(ReasonCode.InvalidCreditCode, $"{field}.credit_code", "18 characters with a valid GB 32100 check character"));
        }

        if (string.IsNullOrWhiteSpace(name))
        {
            violations.Add(new(ReasonCode.FieldRequired, $"{field}.name", "required"));
        }

        return violations;
    }

    public static string Normalize(string creditCode) => creditCode.Trim().ToUpperInvariant();

    public static bool IsValid(string code)
    {
        if (!Shape().IsMatch(code))
        {
            return false;
        }

        var sum = 0;
        for (var i = 0; i < 17; i++)
        {
            sum += Alphabet.IndexOf(code[i], StringComparison.Ordinal) * Weights[i];
        }

        var check = (31 - (sum % 31)) % 31;
        return Alphabet[check] == code[17];
    }

    [GeneratedRegex(@"^[0-9A-HJ-NPQRTUWXY]{18}\z", RegexOptions.CultureInvariant)]
    private static partial Regex Shape();
}
