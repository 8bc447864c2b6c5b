using System.Globalization;
using System.Text.RegularExpressions;

namespace RealName.Rules;

/// <summary>A document as presented (clear number; only the gateway ever holds one). <see cref="Kind"/> is null for an unknown type.</summary>
public sealed record DocumentInput(DocumentKind? Kind, string Number, string Name, string BirthDate, string ValidUntil);

/// <summary>A document that passed the format rules, normalised (number upper-case and trimmed, birth date known).</summary>
public sealed record CheckedDocument(DocumentKind Kind, string Number, string Name, DateOnly BirthDate, DateOnly? ValidUntil);

/// <summary>
/// Domain rule 1: which documents are accepted, what a well-formed one looks like, and when one is valid.
/// Resident-style numbers (resident ID, temporary ID, household register) carry a GB 11643 check digit and
/// an embedded birth date that must be a real past date; every document needs a birth date (the minor rule);
/// an expired document is refused. <see cref="Check"/> is the gateway's early answer on the clear number;
/// <see cref="CheckValidity"/> is the part the grains re-check on what they receive (no clear number).
/// </summary>
public static partial class DocumentRules
{
    private static readonly int[] Weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    private const string CheckCharacters = "10X98765432";

    public static (CheckedDocument? Document, IReadOnlyList<RuleViolation> Violations) Check(DocumentInput document, DateOnly today, string field = "document")
    {
        var violations = new List<RuleViolation>();
        var number = document.Number.Trim().ToUpperInvariant();
        var name = document.Name.Trim();
        if (name.Length == 0)
        {
            violations.Add(new(ReasonCode.FieldRequired, $"{field}.name", "the name on the document is required"));
        }

        var birth = ParseDate(document.BirthDate, $"{field}.birth_date", violations);
        var validUntil = ParseDate(document.ValidUntil, $"{field}.valid_until", violations);
        if (document.Kind is not { } kind)
        {
            violations.Add(new(ReasonCode.UnsupportedDocumentType, $"{field}.type", "one of the accepted document types is required"));
            return (null, violations);
        }

        if (IsCitizenNumbered(kind))
        {
            birth = CheckCitizenNumber(number, birth, today, $"{field}.number", violations);
        }
        else if (NumberFormatViolation(kind, number, $"{field}.number") is { } format)
        {
            violations.Add(format);
        }

        violations.AddRange(CheckValidity(birth, validUntil, today, field));
        if (birth is null && violations.Count == 0)
        {
            violations.Add(new(ReasonCode.FieldRequired, $"{field}.birth_date", "required for this document type (YYYY-MM-DD)"));
        }

        return violations.Count > 0 || birth is null ? (null, violations) : (new CheckedDocument(kind, number, name, birth.Value, validUntil), violations);
    }

    /// <summary>
    /// A document named by kind and number only (a restriction order): the number's format and check digit, no name
    /// or dates. Returns the normalised number (upper-case, trimmed), or null with the violations.
    /// </summary>
    public static (string? Number, IReadOnlyList<RuleViolation> Violations) CheckNumber(DocumentKind? kind, string number, DateOnly today, string field = "document")
    {
        var violations = new List<RuleViolation>();
        var normalized = number.Trim().ToUpperInvariant();
        if (kind is not { } known)
        {
            violations.Add(new(ReasonCode.UnsupportedDocumentType, $"{field}.type", "one of the accepted document types is required"));
        }
        else if (IsCitizenNumbered(known))
        {
            CheckCitizenNumber(normalized, null, today, $"{field}.number", violations);
        }
        else if (NumberFormatViolation(known, normalized, $"{field}.number") is { } format)
        {
            violations.Add(format);
        }

        return (violations.Count > 0 ? null : normalized, violations);
    }

    /// <summary>The rules on a document's dates: the birth date lies in the past and the document has not expired (valid through its last day).</summary>
    public static IReadOnlyList<RuleViolation> CheckValidity(DateOnly? birthDate, DateOnly? validUntil, DateOnly today, string field = "document")
    {
        var violations = new List<RuleViolation>(0);
        if (birthDate is { } birth && (birth >= today || birth.Year < 1900))
        {
            violations.Add(new(ReasonCode.InvalidBirthDate, $"{field}.birth_date", "the birth date must be a real past date (1900 or later)"));
        }

        if (validUntil is { } until && until < today)
        {
            violations.Add(new(ReasonCode.DocumentExpired, $"{field}.valid_until", "the document expired on " + until.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)));
        }

        return violations;
    }

    /// <summary>Documents that carry the 18-character citizen number (GB 11643).</summary>
    public static bool IsCitizenNumbered(DocumentKind kind) =>
        kind is DocumentKind.ResidentId or DocumentKind.TemporaryResidentId or DocumentKind.HouseholdRegister;

    /// <summary>The GB 11643 check character of the first 17 digits matches the 18th.</summary>
    public static bool HasValidCheckDigit(string citizenNumber)
    {
        if (!CitizenPattern().IsMatch(citizenNumber))
        {
            return false;
        }

        var sum = 0;
        for (var i = 0; i < 17; i++)
        {
            sum += (citizenNumber[i] - '0') * Weights[i];
        }

        return CheckCharacters[sum % 11] == citizenNumber[17];
    }

    private static RuleViolation? NumberFormatViolation(DocumentKind kind, string number, string field) => kind switch
    {
        DocumentKind.MilitaryId when !MilitaryPattern().IsMatch(number) =>
            new(ReasonCode.InvalidDocumentNumber, field, "a military/armed-police ID has 6 to 12 digits, optionally after its issuing-unit characters"),
        DocumentKind.HongKongMacauPermit when !HongKongMacauPattern().IsMatch(number) =>
            new(ReasonCode.InvalidDocumentNumber, field, "a Hong Kong/Macau permit is H or M followed by 8 or 10 digits"),
        DocumentKind.TaiwanPermit when !TaiwanPattern().IsMatch(number) =>
            new(ReasonCode.InvalidDocumentNumber, field, "a Taiwan permit has 8 digits (or 10 with its issue count)"),
        DocumentKind.ForeignPassport when !PassportPattern().IsMatch(number) =>
            new(ReasonCode.InvalidDocumentNumber, field, "a passport number has 5 to 20 letters and digits"),
        // A citizen number entered as a passport would open a second identity beside the person's own (and its five numbers).
        DocumentKind.ForeignPassport when HasValidCheckDigit(number.ToUpperInvariant()) =>
            new(ReasonCode.InvalidDocumentNumber, field, "this is a resident ID number (GB 11643): register it as DOCUMENT_TYPE_RESIDENT_ID"),
        _ => null,
    };

    private static DateOnly? CheckCitizenNumber(string number, DateOnly? declaredBirth, DateOnly today, string field, List<RuleViolation> violations)
    {
        if (!CitizenPattern().IsMatch(number))
        {
            violations.Add(new(ReasonCode.InvalidDocumentNumber, field, "17 digits followed by a digit or X are required"));
            return declaredBirth;
        }

        if (!HasValidCheckDigit(number))
        {
            violations.Add(new(ReasonCode.InvalidCheckDigit, field, "the last character does not match the GB 11643 check digit"));
            return declaredBirth;
        }

        if (!DateOnly.TryParseExact(number.AsSpan(6, 8), "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var embedded)
            || embedded.Year < 1900 || embedded >= today)
        {
            violations.Add(new(ReasonCode.InvalidBirthDate, field, "the embedded birth date is not a real past date"));
            return null;
        }

        if (declaredBirth is { } declared && declared != embedded)
        {
            violations.Add(new(ReasonCode.BirthDateMismatch, field, "the birth date differs from the one embedded in the number"));
        }

        return embedded;
    }

    private static DateOnly? ParseDate(string value, string field, List<RuleViolation> violations)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        if (DateOnly.TryParseExact(value.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            return date;
        }

        violations.Add(new(ReasonCode.InvalidDate, field, "expected YYYY-MM-DD"));
        return null;
    }

    // [0-9], not \d (which also matches Arabic-Indic, fullwidth and other Unicode digits), and \z, not $ (which
    // also matches before a final newline): the fuzz tests found both letting look-alike numbers through.
    [GeneratedRegex(@"^[0-9]{17}[0-9X]\z", RegexOptions.CultureInvariant)]
    private static partial Regex CitizenPattern();

    [GeneratedRegex(@"^\p{IsCJKUnifiedIdeographs}{0,6}[0-9]{6,12}\p{IsCJKUnifiedIdeographs}?\z", RegexOptions.CultureInvariant)]
    private static partial Regex MilitaryPattern();

    [GeneratedRegex(@"^[HM]([0-9]{8}|[0-9]{10})\z", RegexOptions.CultureInvariant)]
    private static partial Regex HongKongMacauPattern();

    [GeneratedRegex(@"^([0-9]{8}|[0-9]{10})\z", RegexOptions.CultureInvariant)]
    private static partial Regex TaiwanPattern();

    [GeneratedRegex(@"^[A-Z0-9]{5,20}\z", RegexOptions.CultureInvariant)]
    private static partial Regex PassportPattern();
}
