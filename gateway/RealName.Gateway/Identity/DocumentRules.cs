using System.Globalization;
using System.Text.RegularExpressions;
using RealName.Contracts.V1;
using RealName.Gateway.Validation;
using RealName.Grains;

namespace RealName.Gateway.Identity;

/// <summary>A document that passed format checks, normalised.</summary>
public sealed record CheckedDocument(DocumentKind Kind, string Number, string Name, DateOnly? BirthDate, DateOnly? ValidUntil);

/// <summary>
/// Domain rule 1: which documents are accepted and what a well-formed one looks like. Resident-style
/// numbers (resident ID, temporary ID, household register) carry a GB 11643 check digit and an embedded
/// birth date that must be a real past date; expired documents are refused.
/// </summary>
public static partial class DocumentRules
{
    private static readonly int[] Weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    private const string CheckCharacters = "10X98765432";

    public static CheckedDocument? Check(IdentityDocument? document, DateOnly today, Violations violations, string field = "document")
    {
        if (document is null)
        {
            violations.Add(field, "required");
            return null;
        }

        var number = document.Number.Trim().ToUpperInvariant();
        var name = document.Name.Trim();
        var before = violations.Count;
        if (name.Length == 0)
        {
            violations.Add($"{field}.name", "required");
        }

        var birth = ParseDate(document.BirthDate, $"{field}.birth_date", violations);
        var validUntil = ParseDate(document.ValidUntil, $"{field}.valid_until", violations);
        if (validUntil is { } until && until < today)
        {
            violations.Add($"{field}.valid_until", "DOCUMENT_EXPIRED: the document expired on " + until.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        }

        DocumentKind? kind = document.Type switch
        {
            DocumentType.ResidentId => DocumentKind.ResidentId,
            DocumentType.TemporaryResidentId => DocumentKind.TemporaryResidentId,
            DocumentType.HouseholdRegister => DocumentKind.HouseholdRegister,
            DocumentType.MilitaryId => DocumentKind.MilitaryId,
            DocumentType.HkMacauPermit => DocumentKind.HongKongMacauPermit,
            DocumentType.TaiwanPermit => DocumentKind.TaiwanPermit,
            DocumentType.ForeignPassport => DocumentKind.ForeignPassport,
            _ => null,
        };
        if (kind is null)
        {
            violations.Add($"{field}.type", "UNSUPPORTED_DOCUMENT_TYPE: one of the accepted document types is required");
            return null;
        }

        switch (kind.Value)
        {
            case DocumentKind.ResidentId or DocumentKind.TemporaryResidentId or DocumentKind.HouseholdRegister:
                birth = CheckCitizenNumber(number, birth, today, $"{field}.number", violations);
                break;
            case DocumentKind.MilitaryId when !MilitaryPattern().IsMatch(number):
                violations.Add($"{field}.number", "INVALID_DOCUMENT_NUMBER: a military/armed-police ID has 6 to 12 digits, optionally after its issuing-unit characters");
                break;
            case DocumentKind.HongKongMacauPermit when !HongKongMacauPattern().IsMatch(number):
                violations.Add($"{field}.number", "INVALID_DOCUMENT_NUMBER: a Hong Kong/Macau permit is H or M followed by 8 or 10 digits");
                break;
            case DocumentKind.TaiwanPermit when !TaiwanPattern().IsMatch(number):
                violations.Add($"{field}.number", "INVALID_DOCUMENT_NUMBER: a Taiwan permit has 8 digits (or 10 with its issue count)");
                break;
            case DocumentKind.ForeignPassport when !PassportPattern().IsMatch(number):
                violations.Add($"{field}.number", "INVALID_DOCUMENT_NUMBER: a passport number has 5 to 20 letters and digits");
                break;
        }

        if (birth is { } b && b >= today)
        {
            violations.Add($"{field}.birth_date", "INVALID_BIRTH_DATE: the birth date must be in the past");
        }

        return violations.Count > before ? null : new CheckedDocument(kind.Value, number, name, birth, validUntil);
    }

    private static DateOnly? CheckCitizenNumber(string number, DateOnly? declaredBirth, DateOnly today, string field, Violations violations)
    {
        if (!CitizenPattern().IsMatch(number))
        {
            violations.Add(field, "INVALID_DOCUMENT_NUMBER: 17 digits followed by a digit or X are required");
            return declaredBirth;
        }

        var sum = 0;
        for (var i = 0; i < 17; i++)
        {
            sum += (number[i] - '0') * Weights[i];
        }

        if (CheckCharacters[sum % 11] != number[17])
        {
            violations.Add(field, "INVALID_CHECK_DIGIT: the last character does not match the GB 11643 check digit");
            return declaredBirth;
        }

        if (!DateOnly.TryParseExact(number.AsSpan(6, 8), "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var embedded)
            || embedded.Year < 1900 || embedded >= today)
        {
            violations.Add(field, "INVALID_BIRTH_DATE: the embedded birth date is not a real past date");
            return declaredBirth;
        }

        if (declaredBirth is { } declared && declared != embedded)
        {
            violations.Add(field, "BIRTH_DATE_MISMATCH: the birth date differs from the one embedded in the number");
        }

        return embedded;
    }

    private static DateOnly? ParseDate(string value, string field, Violations violations)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        if (DateOnly.TryParseExact(value.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            return date;
        }

        violations.Add(field, "INVALID_DATE: expected YYYY-MM-DD");
        return null;
    }

    [GeneratedRegex(@"^\d{17}[\dX]$", RegexOptions.CultureInvariant)]
    private static partial Regex CitizenPattern();

    [GeneratedRegex(@"^\p{IsCJKUnifiedIdeographs}{0,6}\d{6,12}\p{IsCJKUnifiedIdeographs}?$", RegexOptions.CultureInvariant)]
    private static partial Regex MilitaryPattern();

    [GeneratedRegex(@"^[HM](\d{8}|\d{10})$", RegexOptions.CultureInvariant)]
    private static partial Regex HongKongMacauPattern();

    [GeneratedRegex(@"^(\d{8}|\d{10})$", RegexOptions.CultureInvariant)]
    private static partial Regex TaiwanPattern();

    [GeneratedRegex(@"^[A-Z0-9]{5,20}$", RegexOptions.CultureInvariant)]
    private static partial Regex PassportPattern();
}
