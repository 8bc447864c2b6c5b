using System.Security.Cryptography;
using Google.Protobuf;
using Microsoft.Extensions.Options;
using RealName.Contracts.V1;
using RealName.Gateway.Audit;
using RealName.Gateway.Identity;
using RealName.Gateway.Services;
using RealName.Gateway.Validation;
using RealName.Rules;

namespace RealName.UnitTests;

/// <summary>The gateway's mappers between the contract and the rule book, and the report query parser's calendar.</summary>
public sealed class MapperTests
{
    private static readonly DateOnly Today = new(2026, 11, 22);

    private static readonly IdentityProtector Identities =
        new(Options.Create(new IdentityOptions { HmacKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)) }));

    private static RealName.Contracts.V1.PersonEvidence Person(DocumentType type, string number, string birth = "", string validUntil = "2035-01-01") => new()
    {
        Document = new IdentityDocument { Type = type, Number = number, Name = "王小明", BirthDate = birth, ValidUntil = validUntil },
        PortraitImage = ByteString.CopyFrom(1, 2, 3),
        LiveImage = ByteString.CopyFrom(4, 5, 6),
    };

    [Theory]
    [InlineData(DocumentType.ResidentId, "11010519491231002X", "")]
    [InlineData(DocumentType.TemporaryResidentId, "11010519491231002X", "")]
    [InlineData(DocumentType.HouseholdRegister, "11010519491231002X", "")]
    [InlineData(DocumentType.MilitaryId, "军字第20051234号", "1949-12-31")]
    [InlineData(DocumentType.HkMacauPermit, "H12345678", "1949-12-31")]
    [InlineData(DocumentType.TaiwanPermit, "12345678", "1949-12-31")]
    [InlineData(DocumentType.ForeignPassport, "E12345678", "1949-12-31")]
    public void Every_contract_document_type_reaches_the_grain_as_its_kind_with_only_protected_forms(DocumentType type, string number, string birth)
    {
        var violations = new Violations();

        var person = new EvidenceReader(Identities, Today, violations).Person(Person(type, number, birth), "customer");

        Assert.Equal(0, violations.Count);
        Assert.NotNull(person);
        Assert.Equal(type, person.Identity.DocumentKind.ToContract());
        Assert.Equal(new DateOnly(1949, 12, 31), person.BirthDate);
        Assert.Equal(new DateOnly(2035, 1, 1), person.ValidUntil);
        Assert.DoesNotContain(number[2..^2], person.Identity.MaskedDocumentNumber, StringComparison.Ordinal);
        Assert.DoesNotContain(number, person.Identity.IdentityKey, StringComparison.Ordinal);
    }

    [Fact]
    public void An_expired_document_is_read_as_the_rule_refusal_and_nothing_goes_on()
    {
        var violations = new Violations();

        var person = new EvidenceReader(Identities, Today, violations).Person(Person(DocumentType.ResidentId, "11010519491231002X", validUntil: "2026-11-21"), "customer");

        Assert.Null(person);
        Assert.True(violations.OnlyRefusals);
        var rule = Assert.Single(violations.Rules);
        Assert.Equal((ReasonCode.DocumentExpired, "customer.document.valid_until"), (rule.Code, rule.Field));
    }

    [Fact]
    public void A_channel_is_read_through_its_rule_and_trimmed()
    {
        var violations = new Violations();
        var context = new ChannelContext { Kind = RealName.Contracts.V1.ChannelKind.Online, CarrierId = " cmcc ", Region = "310000", OutletId = "app", ClerkId = "flow", DeviceId = "sdk" };

        var facts = EvidenceReader.Channel(context, violations);
        var none = EvidenceReader.Channel(new ChannelContext(), violations, "proof.channel");

        Assert.Equal((RealName.Rules.ChannelKind.Online, "cmcc"), (facts!.Kind, facts.CarrierId));
        Assert.Null(none);
        Assert.Equal(6, violations.Count);
        Assert.All(violations.Rules, v => Assert.StartsWith("proof.channel.", v.Field, StringComparison.Ordinal));
    }

    [Fact]
    public void Report_days_are_days_of_the_configured_calendar()
    {
        var china = CivilCalendar.Default;
        var newYork = new CivilCalendar(TimeSpan.FromHours(-5));

        Assert.True(ReportQueryParser.TryInstant("2025-03-01", china, out var chinaStart));
        Assert.True(ReportQueryParser.TryInstant("2025-03-01", newYork, out var newYorkStart));
        Assert.True(ReportQueryParser.TryInstant("2025-03-01T00:00:00Z", china, out var instant));

        Assert.Equal(new DateTimeOffset(2025, 2, 28, 16, 0, 0, TimeSpan.Zero), chinaStart);
        Assert.Equal(new DateTimeOffset(2025, 3, 1, 5, 0, 0, TimeSpan.Zero), newYorkStart);
        Assert.Equal(new DateTimeOffset(2025, 3, 1, 0, 0, 0, TimeSpan.Zero), instant);
        Assert.Equal("2025-03-01", ReportQueryParser.Day(new DateTimeOffset(2025, 2, 28, 16, 0, 0, TimeSpan.Zero), china));
        Assert.Equal("2025-02-28", ReportQueryParser.Day(new DateTimeOffset(2025, 2, 28, 16, 0, 0, TimeSpan.Zero), newYork));
        var (from, to) = ReportQueryParser.DefaultPeriod(new DateTimeOffset(2025, 6, 30, 16, 30, 0, TimeSpan.Zero), china);
        Assert.Equal((china.StartOf(new DateOnly(2025, 2, 1)), china.StartOf(new DateOnly(2025, 8, 1))), (from, to));
    }
}
