using RealName.Grains.Restrictions;
using RealName.Rules;

namespace RealName.UnitTests;

/// <summary>The fraud-risk notice, restriction orders and their status, and the attempt rates (issue 11).</summary>
public sealed class AntiFraudRulesTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 30, 8, 0, 0, TimeSpan.Zero);
    private static readonly RiskNoticeInput Acknowledged = new("fraud-2021.1", Now.AddMinutes(-2), "");

    [Fact]
    public void A_risk_notice_acknowledged_before_now_passes_and_online_sales_need_the_recorded_reference()
    {
        Assert.Null(RiskNoticeRules.Check(Acknowledged, ChannelKind.Retail, Now));
        Assert.Null(RiskNoticeRules.Check(Acknowledged with { AcknowledgementReference = "page-7/session-1" }, ChannelKind.Online, Now));

        var refusals = new[]
        {
            RiskNoticeRules.Check(null, ChannelKind.Retail, Now),
            RiskNoticeRules.Check(Acknowledged with { NoticeVersion = " " }, ChannelKind.Retail, Now),
            RiskNoticeRules.Check(Acknowledged with { NoticeVersion = new string('v', RiskNoticeRules.MaxNoticeVersionLength + 1) }, ChannelKind.Retail, Now),
            RiskNoticeRules.Check(Acknowledged with { AcknowledgedAt = null }, ChannelKind.Retail, Now),
            RiskNoticeRules.Check(Acknowledged with { AcknowledgedAt = Now.AddMinutes(2) }, ChannelKind.Retail, Now),
            RiskNoticeRules.Check(Acknowledged with { AcknowledgedAt = Now.AddDays(-31) }, ChannelKind.Retail, Now),
            RiskNoticeRules.Check(Acknowledged, ChannelKind.Online, Now),
        };

        Assert.All(refusals, r => Assert.Equal((ReasonCode.RiskNoticeRequired, ReasonKind.Malformed, "RISK_NOTICE_REQUIRED"), (r!.Code, r.Kind, r.Reason)));
        Assert.Equal(
            ["risk_notice", "risk_notice.notice_version", "risk_notice.notice_version", "risk_notice.acknowledged_at", "risk_notice.acknowledged_at", "risk_notice.acknowledged_at", "risk_notice.acknowledgement_reference"],
            refusals.Select(r => r!.Field));
    }

    [Fact]
    public void A_restriction_order_needs_reason_reference_and_an_end_after_its_start_and_now()
    {
        var order = new RestrictionInput("涉诈 suspect", "SH-PSB-2026-0042", Now, Now.AddDays(180));
        Assert.Empty(RestrictionRules.CheckOrder(order, Now));

        Assert.Equal(["reason", "authority_reference"], RestrictionRules.CheckOrder(order with { Reason = "", AuthorityReference = new string('r', 129) }, Now).Select(v => v.Field));
        Assert.Equal(ReasonCode.FieldRequired, Assert.Single(RestrictionRules.CheckOrder(order with { EndsAt = null }, Now)).Code);
        Assert.Contains("after the start", Assert.Single(RestrictionRules.CheckOrder(order with { StartsAt = Now.AddDays(5), EndsAt = Now.AddDays(4) }, Now)).Message, StringComparison.Ordinal);
        Assert.Contains("future", Assert.Single(RestrictionRules.CheckOrder(order with { EndsAt = Now.AddDays(-1) }, Now)).Message, StringComparison.Ordinal);
        Assert.Contains("future", Assert.Single(RestrictionRules.CheckOrder(order with { StartsAt = Now.AddDays(-10), EndsAt = Now.AddDays(-1) }, Now)).Message, StringComparison.Ordinal);
        Assert.Contains("ten years", Assert.Single(RestrictionRules.CheckOrder(order with { EndsAt = Now.AddYears(11) }, Now)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_restriction_holds_from_its_start_until_its_end_unless_lifted()
    {
        var start = Now;
        var end = Now.AddDays(1);

        Assert.Equal(RestrictionStatus.Scheduled, RestrictionRules.StatusAt(start, end, null, Now.AddTicks(-1)));
        Assert.Equal(RestrictionStatus.Active, RestrictionRules.StatusAt(start, end, null, Now));
        Assert.Equal(RestrictionStatus.Active, RestrictionRules.StatusAt(start, end, null, end.AddTicks(-1)));
        Assert.Equal(RestrictionStatus.Expired, RestrictionRules.StatusAt(start, end, null, end));
        Assert.Equal(RestrictionStatus.Lifted, RestrictionRules.StatusAt(start, end, Now.AddHours(1), Now.AddHours(2)));
        var refusal = RestrictionRules.Restricted(end);
        Assert.Equal((ReasonKind.Refused, "IDENTITY_RESTRICTED", "customer.document"), (refusal.Kind, refusal.Reason, refusal.Field));
    }

    [Fact]
    public void The_sixteenth_attempt_in_a_minute_and_the_thirty_first_in_a_day_are_refused_until_the_oldest_leaves_the_window()
    {
        var rate = new AttemptRate(15, 30);
        var fifteen = Enumerable.Range(0, 15).Select(i => Now.AddSeconds(-59 + i)).ToList();

        Assert.Null(AttemptRates.CheckOneMore(fifteen.Take(14).ToList(), Now, rate, "identity"));
        var minute = AttemptRates.CheckOneMore(fifteen, Now, rate, "identity")!;
        Assert.Equal((ReasonCode.TooManyAttempts, ReasonKind.Exhausted), (minute.Code, minute.Kind));
        Assert.Equal(("identity", "minute", "15", "1"), (minute.Details["counter"], minute.Details["window"], minute.Details["limit"], minute.Details["retry_after_seconds"]));
        Assert.Null(AttemptRates.CheckOneMore(fifteen, Now.AddSeconds(1), rate, "identity"));

        var thirty = Enumerable.Range(0, 30).Select(i => Now.AddHours(-23).AddMinutes(i * 2)).ToList();
        var day = AttemptRates.CheckOneMore(thirty, Now, rate, "device")!;
        Assert.Equal(("device", "day", "30"), (day.Details["counter"], day.Details["window"], day.Details["limit"]));
        Assert.Null(AttemptRates.CheckOneMore(thirty, Now, new AttemptRate(15, 0), "device"));
    }

    [Fact]
    public void Restriction_and_appeal_ids_carry_their_identity_key_and_nothing_else_parses()
    {
        var key = new string('a', 64);
        var restriction = RestrictionIds.Restriction(key, Guid.NewGuid());
        var appeal = RestrictionIds.Appeal(restriction, Guid.NewGuid());

        Assert.Equal(key, RestrictionIds.IdentityKeyOf(restriction, appeal: false));
        Assert.Equal(key, RestrictionIds.IdentityKeyOf(appeal, appeal: true));
        Assert.Equal(restriction, RestrictionIds.RestrictionOf(appeal));
        Assert.Null(RestrictionIds.IdentityKeyOf(appeal, appeal: false));
        Assert.Null(RestrictionIds.IdentityKeyOf(restriction, appeal: true));
        Assert.Null(RestrictionIds.IdentityKeyOf(restriction.ToUpperInvariant(), appeal: false));
        Assert.Null(RestrictionIds.IdentityKeyOf("../" + restriction[3..], appeal: false));
        Assert.Null(RestrictionIds.IdentityKeyOf("", appeal: false));
        var versioned = "v2." + new string('b', 64);
        var versionedAppeal = RestrictionIds.Appeal(RestrictionIds.Restriction(versioned, Guid.NewGuid()), Guid.NewGuid());
        Assert.Equal(versioned, RestrictionIds.IdentityKeyOf(versionedAppeal, appeal: true));
        Assert.Equal(versioned, RestrictionIds.IdentityKeyOf(RestrictionIds.RestrictionOf(versionedAppeal), appeal: false));
    }

    [Fact]
    public void A_document_named_by_kind_and_number_is_checked_like_a_registration_document()
    {
        Assert.Equal("11010519491231002X", DocumentRules.CheckNumber(DocumentKind.ResidentId, " 11010519491231002x ", DateOnly.FromDateTime(Now.UtcDateTime)).Number);
        Assert.Equal(ReasonCode.InvalidCheckDigit, Assert.Single(DocumentRules.CheckNumber(DocumentKind.ResidentId, "110105194912310021", DateOnly.FromDateTime(Now.UtcDateTime)).Violations).Code);
        Assert.Equal("document.type", Assert.Single(DocumentRules.CheckNumber(null, "E12345678", DateOnly.FromDateTime(Now.UtcDateTime)).Violations).Field);
    }
}
