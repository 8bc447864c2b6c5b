using System.Text.RegularExpressions;
using RealName.Contracts.V1;
using RealName.Grains.Subscribers;

namespace RealName.Gateway.Validation;

/// <summary>Unified social credit codes (GB 32100): 18 characters over a 31-symbol alphabet with a check character.</summary>
public static partial class EnterpriseRules
{
    private const string Alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";
    private static readonly int[] Weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

    public static EnterpriseFacts? Check(Enterprise? enterprise, string field, Violations violations)
    {
        if (enterprise is null)
        {
            violations.Add(field, "ENTERPRISE_REQUIRED: corporate and IoT cards need the enterprise");
            return null;
        }

        var code = enterprise.CreditCode.Trim().ToUpperInvariant();
        var before = violations.Count;
        if (!IsValidCreditCode(code))
        {
            violations.Add($"{field}.credit_code", "INVALID_CREDIT_CODE: 18 characters with a valid GB 32100 check character");
        }

        if (string.IsNullOrWhiteSpace(enterprise.Name))
        {
            violations.Add($"{field}.name", "required");
        }

        return violations.Count > before ? null : new EnterpriseFacts(code, enterprise.Name.Trim());
    }

    public static bool IsValidCreditCode(string code)
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

    [GeneratedRegex("^[0-9A-HJ-NPQRTUWXY]{18}$", RegexOptions.CultureInvariant)]
    private static partial Regex Shape();
}
