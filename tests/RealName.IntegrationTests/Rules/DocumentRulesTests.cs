using Grpc.Core;
using RealName.Contracts.V1;
using RealName.Gateway.Identity;
using RealName.Gateway.Validation;

namespace RealName.IntegrationTests.Rules;

/// <summary>Domain rule 1: which documents are accepted and what a well-formed one looks like.</summary>
public sealed class DocumentRulesTests
{
    private static readonly DateOnly Today = new(2026, 11, 22);

    private static (CheckedDocument? Document, List<string> Violations) Check(DocumentType type, string number, string birth = "", string validUntil = "2030-01-01")
    {
        var violations = new Violations();
        var document = DocumentRules.Check(new IdentityDocument { Type = type, Number = number, Name = "测试", BirthDate = birth, ValidUntil = validUntil }, Today, violations);
        var messages = new List<string>();
        try
        {
            violations.ThrowIfAny();
        }
        catch (Grpc.Core.RpcException e)
        {
            messages.AddRange(e.GetRpcStatus()!.GetDetail<Google.Rpc.BadRequest>().FieldViolations.Select(v => v.Description.Split(':')[0]));
        }

        return (document, messages);
    }

    [Theory]
    [InlineData(DocumentType.ResidentId)]
    [InlineData(DocumentType.TemporaryResidentId)]
    [InlineData(DocumentType.HouseholdRegister)]
    public void Citizen_numbers_carry_a_check_digit_and_a_real_past_birth_date(DocumentType type)
    {
        var valid = Requests.ResidentId("11010519491231002");

        Assert.Equal(new DateOnly(1949, 12, 31), Check(type, valid).Document!.BirthDate);
        Assert.Equal(new DateOnly(1949, 12, 31), Check(type, valid.ToLowerInvariant()).Document!.BirthDate);
        Assert.Equal(["INVALID_CHECK_DIGIT"], Check(type, valid[..17] + (valid[17] == '0' ? '1' : '0')).Violations);
        Assert.Equal(["INVALID_BIRTH_DATE"], Check(type, Requests.ResidentId("11010519490231002")).Violations);
        Assert.Equal(["INVALID_BIRTH_DATE"], Check(type, Requests.ResidentId("11010520300101002")).Violations);
        Assert.Equal(["INVALID_DOCUMENT_NUMBER"], Check(type, "1101051949123100").Violations);
        Assert.Equal(["BIRTH_DATE_MISMATCH"], Check(type, valid, birth: "1950-01-01").Violations);
        Assert.Equal(["DOCUMENT_EXPIRED"], Check(type, valid, validUntil: "2026-11-21").Violations);
        Assert.Empty(Check(type, valid, validUntil: "2026-11-22").Violations);
    }

    [Theory]
    [InlineData(DocumentType.MilitaryId, "军字第20051234号", "军字1234")]
    [InlineData(DocumentType.HkMacauPermit, "H12345678", "X12345678")]
    [InlineData(DocumentType.HkMacauPermit, "M1234567890", "H1234567")]
    [InlineData(DocumentType.TaiwanPermit, "12345678", "1234567")]
    [InlineData(DocumentType.ForeignPassport, "E12345678", "E-1234")]
    public void Other_documents_have_their_own_number_formats(DocumentType type, string valid, string invalid)
    {
        Assert.Empty(Check(type, valid, birth: "1980-05-05").Violations);
        Assert.Equal(["INVALID_DOCUMENT_NUMBER"], Check(type, invalid, birth: "1980-05-05").Violations);
    }

    [Fact]
    public void An_unspecified_document_type_is_refused()
    {
        Assert.Equal(["UNSUPPORTED_DOCUMENT_TYPE"], Check(DocumentType.Unspecified, Requests.ResidentId("11010519491231002")).Violations);
    }

    [Theory]
    [InlineData("91350100M000100Y43", true)]
    [InlineData("91350100M000100Y44", false)]
    [InlineData("9135010OM000100Y43", false)]
    [InlineData("91350100M000100Y4", false)]
    public void Credit_codes_carry_a_GB_32100_check_character(string code, bool valid)
    {
        Assert.Equal(valid, EnterpriseRules.IsValidCreditCode(code));
    }
}
