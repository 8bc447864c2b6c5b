using RealName.Rules;

namespace RealName.UnitTests;

/// <summary>Domain rule 1: which documents are accepted, what a well-formed one looks like, and when one is valid.</summary>
public sealed class DocumentRulesTests
{
    private static readonly DateOnly Today = new(2026, 11, 22);

    // GB 11643 numbers with their check characters (worked out by hand from the standard's weights).
    private const string BornDec1949 = "11010519491231002X";
    private const string BornLeapDay2008 = "310104200802290012";
    private const string BornFeb31 = "110105194902310026";
    private const string BornIn2030 = "110105203001010028";

    private static (CheckedDocument? Document, List<string> Reasons) Check(DocumentKind? kind, string number, string birth = "", string validUntil = "2030-01-01", string name = "测试")
    {
        var (document, violations) = DocumentRules.Check(new DocumentInput(kind, number, name, birth, validUntil), Today);
        return (document, violations.Select(v => v.Reason).ToList());
    }

    [Theory]
    [InlineData(DocumentKind.ResidentId)]
    [InlineData(DocumentKind.TemporaryResidentId)]
    [InlineData(DocumentKind.HouseholdRegister)]
    public void Citizen_numbers_carry_a_check_digit_and_a_real_past_birth_date(DocumentKind kind)
    {
        Assert.Equal(new DateOnly(1949, 12, 31), Check(kind, BornDec1949).Document!.BirthDate);
        Assert.Equal(new DateOnly(1949, 12, 31), Check(kind, BornDec1949.ToLowerInvariant()).Document!.BirthDate);
        Assert.Equal(new DateOnly(2008, 2, 29), Check(kind, BornLeapDay2008).Document!.BirthDate);
        Assert.Equal(["INVALID_CHECK_DIGIT"], Check(kind, BornDec1949[..17] + "0").Reasons);
        Assert.Equal(["INVALID_BIRTH_DATE"], Check(kind, BornFeb31).Reasons);
        Assert.Equal(["INVALID_BIRTH_DATE"], Check(kind, BornIn2030).Reasons);
        Assert.Equal(["INVALID_DOCUMENT_NUMBER"], Check(kind, BornDec1949[..16]).Reasons);
        Assert.Equal(["BIRTH_DATE_MISMATCH"], Check(kind, BornDec1949, birth: "1950-01-01").Reasons);
        Assert.Empty(Check(kind, BornDec1949, birth: "1949-12-31").Reasons);
    }

    /// <summary>
    /// Found by buf curl against a running grid: a citizen number entered as a foreign passport opened a sixth number for
    /// its holder (a second identity beside the resident ID's), and a passport holder born in year 1 was accepted.
    /// </summary>
    [Fact]
    public void Regression_a_citizen_number_is_no_passport_and_a_birth_date_before_1900_is_refused()
    {
        Assert.Equal(["INVALID_DOCUMENT_NUMBER"], Check(DocumentKind.ForeignPassport, BornDec1949, birth: "1949-12-31").Reasons);
        Assert.Equal(["INVALID_DOCUMENT_NUMBER"], Check(DocumentKind.ForeignPassport, BornDec1949.ToLowerInvariant(), birth: "1949-12-31").Reasons);
        Assert.Equal(["INVALID_BIRTH_DATE"], Check(DocumentKind.ForeignPassport, "E12345678", birth: "0001-01-01").Reasons);
        Assert.Empty(Check(DocumentKind.ForeignPassport, "E12345678", birth: "1900-01-01").Reasons);
        Assert.Empty(Check(DocumentKind.ForeignPassport, BornDec1949[..17] + "0", birth: "1949-12-31").Reasons);
    }

    [Theory]
    [InlineData("11010519491231002X", true)]
    [InlineData("110105194912310021", false)]
    [InlineData("440301201011221235", true)]
    [InlineData("44030120101122123X", false)]
    [InlineData("4403012010112212A5", false)]
    public void The_GB_11643_check_character_is_the_weighted_sum_mod_11(string number, bool valid)
    {
        Assert.Equal(valid, DocumentRules.HasValidCheckDigit(number));
    }

    [Fact]
    public void A_document_is_valid_through_its_last_day_and_expired_the_day_after()
    {
        Assert.Equal(["DOCUMENT_EXPIRED"], Check(DocumentKind.ResidentId, BornDec1949, validUntil: "2026-11-21").Reasons);
        Assert.Empty(Check(DocumentKind.ResidentId, BornDec1949, validUntil: "2026-11-22").Reasons);
        Assert.Empty(Check(DocumentKind.ResidentId, BornDec1949, validUntil: "").Reasons);
        Assert.Equal(["INVALID_DATE"], Check(DocumentKind.ResidentId, BornDec1949, validUntil: "22/11/2026").Reasons);
        var expired = Assert.Single(DocumentRules.CheckValidity(new DateOnly(1980, 1, 1), new DateOnly(2026, 11, 21), Today, "customer.document"));
        Assert.Equal((ReasonCode.DocumentExpired, ReasonKind.Refused, "customer.document.valid_until"), (expired.Code, expired.Kind, expired.Field));
        Assert.Equal("DOCUMENT_EXPIRED: the document expired on 2026-11-21", expired.Description);
    }

    [Theory]
    [InlineData(DocumentKind.MilitaryId, "军字第20051234号", "军字1234")]
    [InlineData(DocumentKind.HongKongMacauPermit, "H12345678", "X12345678")]
    [InlineData(DocumentKind.HongKongMacauPermit, "M1234567890", "H1234567")]
    [InlineData(DocumentKind.TaiwanPermit, "12345678", "1234567")]
    [InlineData(DocumentKind.ForeignPassport, "E12345678", "E-1234")]
    public void Other_documents_have_their_own_number_formats_and_must_state_a_birth_date(DocumentKind kind, string valid, string invalid)
    {
        Assert.Equal(new DateOnly(1980, 5, 5), Check(kind, valid, birth: "1980-05-05").Document!.BirthDate);
        Assert.Equal(["INVALID_DOCUMENT_NUMBER"], Check(kind, invalid, birth: "1980-05-05").Reasons);
        Assert.Equal(["FIELD_REQUIRED"], Check(kind, valid).Reasons);
        Assert.Equal(["INVALID_BIRTH_DATE"], Check(kind, valid, birth: "2026-11-22").Reasons);
    }

    [Fact]
    public void An_unknown_document_type_and_a_missing_name_are_malformed()
    {
        Assert.Equal(["UNSUPPORTED_DOCUMENT_TYPE"], Check(null, BornDec1949).Reasons);
        Assert.Equal(["FIELD_REQUIRED"], Check(DocumentKind.ResidentId, BornDec1949, name: " ").Reasons);
        Assert.All(DocumentRules.Check(new DocumentInput(null, BornDec1949, "", "", ""), Today).Violations, v => Assert.Equal(ReasonKind.Malformed, v.Kind));
    }
}
