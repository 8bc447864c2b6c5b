using System.Globalization;
using FsCheck;
using FsCheck.Fluent;
using RealName.Rules;
using Xunit.Abstractions;

namespace RealName.UnitTests.Properties;

/// <summary>
/// Property tests (FsCheck) over the request validators and identity parsing of the rule book: generated valid
/// values pass, near misses and look-alike characters never do, and no input makes a validator throw.
/// </summary>
public sealed class RuleBookProperties(ITestOutputHelper output)
{
    private static readonly DateOnly Today = new(2026, 11, 30);
    private static readonly int[] CitizenWeights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    private static readonly DocumentKind[] CitizenKinds = [DocumentKind.ResidentId, DocumentKind.TemporaryResidentId, DocumentKind.HouseholdRegister];

    /// <summary>An 18-character GB 11643 number of someone born 1900-2025, with its check character.</summary>
    private static readonly Gen<string> CitizenNumbers =
        from region in Gen.Choose(110000, 659999)
        from days in Gen.Choose(0, 45_000)
        from sequence in Gen.Choose(0, 999)
        let first17 = string.Create(CultureInfo.InvariantCulture, $"{region:D6}{new DateOnly(1900, 1, 1).AddDays(days):yyyyMMdd}{sequence:D3}")
        select first17 + "10X98765432"[first17.Select((c, i) => (c - '0') * CitizenWeights[i]).Sum() % 11];

    private static readonly Gen<string> PhoneNumbers =
        from second in Gen.Choose(3, 9)
        from rest in Gen.Choose(0, 999_999_999)
        select string.Create(CultureInfo.InvariantCulture, $"1{second}{rest:D9}");

    [Fact]
    public void Every_accepted_phone_number_is_eleven_ASCII_digits_and_every_generated_one_is_accepted()
    {
        var tried = Fuzz.Check(PhoneNumbers, Rules.PhoneNumbers.IsValid)
            + Fuzz.Check(Gen.OneOf(Fuzz.NearMisses(PhoneNumbers), Fuzz.StringOf(Fuzz.Confusables, 0, 14)), phone =>
                !Rules.PhoneNumbers.IsValid(phone) || (phone.Length == 11 && Fuzz.AsciiDigits(phone) && phone[0] == '1' && phone[1] is >= '3' and <= '9'));
        output.WriteLine($"phone numbers: {tried} inputs, 0 failures");
    }

    [Fact]
    public void A_citizen_number_is_accepted_on_all_three_citizen_documents_and_any_single_changed_digit_is_refused()
    {
        var tried = Fuzz.Check(
            from number in CitizenNumbers
            from kind in Gen.Elements(CitizenKinds)
            from position in Gen.Choose(0, 16)
            from delta in Gen.Choose(1, 9)
            select (number, kind, position, delta),
            c =>
            {
                var accepted = Check(c.kind, c.number).Document;
                var altered = c.number[..c.position] + (char)('0' + ((c.number[c.position] - '0' + c.delta) % 10)) + c.number[(c.position + 1)..];
                // GB 11643's weights are all prime to 11, so one changed digit always breaks the check character.
                return accepted is { } document
                    && document.BirthDate == DateOnly.ParseExact(c.number.AsSpan(6, 8), "yyyyMMdd", CultureInfo.InvariantCulture)
                    && Check(c.kind, altered).Document is null
                    && !DocumentRules.HasValidCheckDigit(altered);
            });
        output.WriteLine($"citizen numbers: {tried} inputs, 0 failures");
    }

    [Fact]
    public void An_accepted_document_number_of_any_kind_holds_only_the_characters_its_format_allows()
    {
        var kinds = Enum.GetValues<DocumentKind>();
        var numbers = Gen.OneOf(Fuzz.NearMisses(CitizenNumbers), Fuzz.StringOf(Fuzz.Confusables, 0, 22), Fuzz.NearMisses(Gen.Constant("H12345678")));
        var tried = Fuzz.Check(
            from kind in Gen.Elements(kinds)
            from number in numbers
            select (kind, number),
            c => Check(c.kind, c.number).Document is not { } document || Allowed(document.Kind, document.Number));
        output.WriteLine($"document numbers: {tried} inputs, 0 failures");

        static bool Allowed(DocumentKind kind, string number) => kind switch
        {
            DocumentKind.ResidentId or DocumentKind.TemporaryResidentId or DocumentKind.HouseholdRegister =>
                number.Length == 18 && Fuzz.AsciiDigits(number[..17]) && (char.IsAsciiDigit(number[17]) || number[17] == 'X'),
            DocumentKind.HongKongMacauPermit => number[0] is 'H' or 'M' && Fuzz.AsciiDigits(number[1..]),
            DocumentKind.TaiwanPermit => Fuzz.AsciiDigits(number),
            DocumentKind.MilitaryId => number.All(c => char.IsAsciiDigit(c) || c >= '\u4E00' && c <= '\u9FFF'),
            _ => number.All(char.IsAsciiLetterOrDigit),
        };
    }

    [Fact]
    public void No_document_input_makes_the_document_rules_throw()
    {
        var text = Gen.OneOf(Fuzz.StringOf(Fuzz.Confusables, 0, 30), ArbMap.Default.GeneratorFor<string>().Select(s => s ?? ""));
        var tried = Fuzz.Check(
            from kind in Gen.Elements<DocumentKind?>([null, .. Enum.GetValues<DocumentKind>(), (DocumentKind)99])
            from number in text
            from name in text
            from birth in Gen.OneOf(text, Gen.Elements("1949-12-31", "2030-01-01", "0001-01-01", "9999-12-31"))
            from validUntil in Gen.OneOf(text, Gen.Elements("", "2026-11-30", "2026-11-29", "9999-12-31"))
            select new DocumentInput(kind, number, name, birth, validUntil),
            input => DocumentRules.Check(input, Today) is var (document, violations) && (document is null) == (violations.Count > 0));
        output.WriteLine($"document inputs: {tried} inputs, 0 failures");
    }

    [Fact]
    public void Every_generated_credit_code_is_valid_and_any_single_changed_character_is_refused()
    {
        const string alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";
        int[] weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
        var codes =
            from chars in Gen.Elements(alphabet.ToCharArray()).ArrayOf(17)
            let sum = chars.Select((c, i) => alphabet.IndexOf(c, StringComparison.Ordinal) * weights[i]).Sum()
            select new string(chars) + alphabet[(31 - (sum % 31)) % 31];
        var tried = Fuzz.Check(
            from code in codes
            from position in Gen.Choose(0, 17)
            from shift in Gen.Choose(1, 30)
            select (code, position, shift),
            c =>
            {
                var altered = c.code[..c.position] + alphabet[(alphabet.IndexOf(c.code[c.position], StringComparison.Ordinal) + c.shift) % 31] + c.code[(c.position + 1)..];
                return CreditCodes.IsValid(c.code) && CreditCodes.Check(c.code.ToLowerInvariant(), "企业").Count == 0 && !CreditCodes.IsValid(altered);
            });
        tried += Fuzz.Check(Fuzz.StringOf(Fuzz.Confusables, 0, 20), code => !CreditCodes.IsValid(code) || code.All(alphabet.Contains));
        output.WriteLine($"credit codes: {tried} inputs, 0 failures");
    }

    [Fact]
    public void Channel_facts_and_request_keys_are_accepted_only_within_their_limits()
    {
        var text = Gen.OneOf(Fuzz.StringOf(Fuzz.Confusables, 0, 70), Gen.Choose(0, 200).Select(n => new string('a', n)));
        var tried = Fuzz.Check(
            from outlet in text
            from clerk in text
            from device in text
            from key in text
            select (outlet, clerk, device, key),
            c =>
            {
                var channel = new ChannelInput(ChannelKind.Retail, "cmcc", "440300", c.outlet, c.clerk, c.device);
                var accepted = ChannelRules.Check(channel).Count == 0;
                var normalized = ChannelRules.Normalized(channel);
                var keyAccepted = ChannelRules.CheckRequestKey(c.key, "idempotency_key") is null;
                return (!accepted || new[] { normalized.OutletId, normalized.ClerkId, normalized.DeviceId }.All(v => v.Length <= ChannelRules.MaxLength))
                    && keyAccepted == (c.key.Length is >= 8 and <= 128 && !string.IsNullOrWhiteSpace(c.key) && !c.key.Any(char.IsControl));
            });
        output.WriteLine($"channel facts and request keys: {tried} inputs, 0 failures");
    }

    /// <summary>What the fuzz run found: look-alike digits and a trailing newline passed the validators (each a second key for one number or person).</summary>
    [Theory]
    [InlineData("16369\uFF1863447")]
    [InlineData("13800138000\n")]
    [InlineData("1380013800\u0663")]
    public void Regression_a_phone_number_with_a_look_alike_digit_or_a_trailing_newline_is_refused(string phone)
    {
        Assert.False(Rules.PhoneNumbers.IsValid(phone));
        Assert.Equal(ReasonCode.InvalidPhoneNumber, Rules.PhoneNumbers.Check(phone)!.Code);
    }

    [Theory]
    [InlineData(DocumentKind.ResidentId, "2734\u0967119450430145X")]
    [InlineData(DocumentKind.MilitaryId, "军字\u0663\u0663\u0663\u0663\u0663\u0663")]
    [InlineData(DocumentKind.HongKongMacauPermit, "H1234567\u0669")]
    [InlineData(DocumentKind.TaiwanPermit, "1234567\uFF18")]
    public void Regression_a_document_number_with_a_look_alike_digit_or_a_trailing_newline_is_refused(DocumentKind kind, string number)
    {
        var (document, violations) = DocumentRules.Check(new DocumentInput(kind, number, "测试", "", "2036-01-01"), Today);
        Assert.Null(document);
        Assert.Contains(violations, v => v.Code is ReasonCode.InvalidDocumentNumber or ReasonCode.InvalidCheckDigit);
    }

    private static (CheckedDocument? Document, IReadOnlyList<RuleViolation> Violations) Check(DocumentKind kind, string number) =>
        DocumentRules.Check(new DocumentInput(kind, number, "测试", "", "2036-01-01"), Today);
}
