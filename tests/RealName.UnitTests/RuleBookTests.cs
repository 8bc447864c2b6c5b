using RealName.Rules;

namespace RealName.UnitTests;

/// <summary>The rule book's rules other than documents, each against its domain rule and its boundaries.</summary>
public sealed class RuleBookTests
{
    private static readonly DateOnly Today = new(2026, 11, 22);
    private static readonly RuleOptions Defaults = new();

    [Theory]
    [InlineData("13800138000", true)]
    [InlineData("19912345678", true)]
    [InlineData("12800138000", false)]
    [InlineData("1380013800", false)]
    [InlineData("138001380001", false)]
    [InlineData("+8613800138000", false)]
    public void Mobile_numbers_are_11_digits_starting_1_then_3_to_9(string number, bool valid)
    {
        Assert.Equal(valid, PhoneNumbers.IsValid(number));
        Assert.Equal(valid ? null : ReasonCode.InvalidPhoneNumber, PhoneNumbers.Check(number)?.Code);
    }

    [Fact]
    public void A_channel_names_its_kind_carrier_region_outlet_clerk_and_device_each_at_most_64_characters()
    {
        var complete = new ChannelInput(ChannelKind.Retail, " cmcc ", "310000", "SH-001", "clerk-1", "reader-1");
        var missing = new ChannelInput(null, "", "310000", " ", "clerk-1", new string('d', 65));

        Assert.Empty(ChannelRules.Check(complete));
        Assert.Equal("cmcc", ChannelRules.Normalized(complete).CarrierId);
        Assert.Equal(
            [("channel.kind", ReasonCode.FieldRequired), ("channel.carrier_id", ReasonCode.FieldRequired), ("channel.outlet_id", ReasonCode.FieldRequired), ("channel.device_id", ReasonCode.FieldTooLong)],
            ChannelRules.Check(missing).Select(v => (v.Field, v.Code)));
        Assert.Empty(ChannelRules.Check(complete with { DeviceId = new string('d', 64) }));
        Assert.Equal(ReasonCode.InvalidRequestKey, ChannelRules.CheckRequestKey("short", "idempotency_key")?.Code);
        Assert.Null(ChannelRules.CheckRequestKey("12345678", "idempotency_key"));
    }

    /// <summary>
    /// Found by buf curl against a running grid: a report id with U+0000 named a grain PostgreSQL could not store
    /// (UNAVAILABLE), and one of eight spaces reached Orleans as a blank grain key (INTERNAL).
    /// </summary>
    [Theory]
    [InlineData("aaaaaaaa\u0000bbb")]
    [InlineData("report-1\n")]
    [InlineData("report\u001F2026")]
    [InlineData("        ")]
    [InlineData("\u3000\u3000\u3000\u3000\u3000\u3000\u3000\u3000")]
    [InlineData("\u00A0\u00A0\u00A0\u00A0\u00A0\u00A0\u00A0\u00A0\u00A0")]
    public void Regression_a_request_key_with_a_control_character_or_only_white_space_is_malformed(string key) =>
        Assert.Equal(ReasonCode.InvalidRequestKey, ChannelRules.CheckRequestKey(key, "report_id")?.Code);

    [Theory]
    [InlineData("91350100M000100Y43", true)]
    [InlineData("91350100m000100y43", true)]
    [InlineData("91350100M000100Y44", false)]
    [InlineData("9135010OM000100Y43", false)]
    [InlineData("91350100M000100Y4", false)]
    public void Credit_codes_carry_a_GB_32100_check_character(string code, bool valid)
    {
        Assert.Equal(valid, CreditCodes.IsValid(CreditCodes.Normalize(code)));
        Assert.Equal(valid ? [] : [ReasonCode.InvalidCreditCode], CreditCodes.Check(code, "测试有限公司").Select(v => v.Code));
    }

    [Theory]
    [InlineData("2010-11-22", 16)]
    [InlineData("2010-11-23", 15)]
    [InlineData("2008-02-29", 18)]
    public void Age_is_completed_years_on_the_civil_date(string birth, int age)
    {
        Assert.Equal(age, AgeRules.AgeOn(DateOnly.Parse(birth, System.Globalization.CultureInfo.InvariantCulture), Today));
        Assert.Equal(18, AgeRules.AgeOn(new DateOnly(2008, 2, 29), new DateOnly(2026, 2, 28)));
        Assert.Equal(17, AgeRules.AgeOn(new DateOnly(2008, 2, 29), new DateOnly(2026, 2, 27)));
    }

    [Fact]
    public void A_minor_needs_a_guardian_who_is_an_adult()
    {
        var fifteen = Today.AddYears(-15);
        var sixteen = Today.AddYears(-16);

        Assert.Null(AgeRules.Check(sixteen, hasGuardian: false, null, Today, Defaults));
        Assert.Equal(ReasonCode.MinorRequiresGuardian, AgeRules.Check(fifteen, hasGuardian: false, null, Today, Defaults)?.Code);
        Assert.Equal(ReasonCode.GuardianNotAdult, AgeRules.Check(fifteen, hasGuardian: true, Today.AddYears(-18).AddDays(1), Today, Defaults)?.Code);
        Assert.Equal(ReasonCode.GuardianNotAdult, AgeRules.Check(fifteen, hasGuardian: true, null, Today, Defaults)?.Code);
        Assert.Null(AgeRules.Check(fifteen, hasGuardian: true, Today.AddYears(-18), Today, Defaults));
        Assert.Null(AgeRules.Check(null, hasGuardian: false, null, Today, Defaults));
    }

    [Fact]
    public void Online_registrations_need_a_passed_liveness_attestation_at_the_threshold()
    {
        Assert.Equal(ReasonCode.LivenessRequired, LivenessPolicy.Check(ChannelKind.Online, true, null, Defaults)?.Code);
        Assert.Null(LivenessPolicy.Check(ChannelKind.Online, true, new LivenessResult(true, 0.9), Defaults));
        var weak = LivenessPolicy.Check(ChannelKind.Online, true, new LivenessResult(true, 0.899), Defaults);
        Assert.Equal(ReasonCode.LivenessFailed, weak?.Code);
        Assert.Equal("0.899", weak!.Details["score"]);
        Assert.Equal("0.900", weak.Details["minimum"]);
        Assert.Equal(ReasonCode.LivenessFailed, LivenessPolicy.Check(ChannelKind.Online, true, new LivenessResult(false, 0.99), Defaults)?.Code);
        Assert.Null(LivenessPolicy.Check(ChannelKind.Retail, true, null, Defaults));
        Assert.Null(LivenessPolicy.Check(ChannelKind.Online, false, null, Defaults));
        Assert.Null(LivenessPolicy.Check(ChannelKind.Online, true, null, new RuleOptions { OnlineRequiresLiveness = false }));
    }

    [Fact]
    public void Corporate_and_IoT_cards_belong_to_an_enterprise_and_general_IoT_data_needs_real_name()
    {
        var sensor = new IotUsage(DirectionalDataOnly: true, MonthlyDataMb: 500);
        var tracker = new IotUsage(DirectionalDataOnly: false, MonthlyDataMb: 101);
        var atThreshold = new IotUsage(DirectionalDataOnly: false, MonthlyDataMb: 100);

        Assert.Equal(ReasonCode.EnterpriseRequired, CardRules.Check(CardType.Corporate, false, true, null, Defaults)?.Code);
        Assert.Equal(ReasonCode.EnterpriseRequired, CardRules.Check(CardType.Iot, false, false, sensor, Defaults)?.Code);
        Assert.Equal(ReasonCode.FieldRequired, CardRules.Check(CardType.Iot, true, false, null, Defaults)?.Code);
        Assert.Null(CardRules.Check(CardType.Iot, true, false, sensor, Defaults));
        Assert.Null(CardRules.Check(CardType.Iot, true, false, atThreshold, Defaults));
        Assert.Equal(ReasonCode.PersonalRealNameRequired, CardRules.Check(CardType.Iot, true, false, tracker, Defaults)?.Code);
        Assert.Null(CardRules.Check(CardType.Iot, true, true, tracker, Defaults));
        Assert.Equal(ReasonCode.CustomerRequired, CardRules.Check(CardType.Personal, false, false, null, Defaults)?.Code);
        Assert.Equal(ReasonCode.IotNotApproved, CardRules.CheckIotIssue(null, 0)?.Code);
        Assert.Equal(ReasonCode.IotQuotaExceeded, CardRules.CheckIotIssue(2, 2)?.Code);
        Assert.Null(CardRules.CheckIotIssue(2, 1));
        // Found by buf curl against a running grid: -5 MB of general data slipped under the threshold, with no holder.
        Assert.Equal(ReasonCode.OutOfRange, CardRules.Check(CardType.Iot, true, false, tracker with { MonthlyDataMb = -5 }, Defaults)?.Code);
        Assert.Equal("iot.monthly_data_mb", CardRules.CheckIotProfile(CardType.Iot, tracker with { MonthlyDataMb = int.MinValue })?.Field);
    }

    [Fact]
    public void Five_numbers_per_carrier_with_reservations_counting_until_they_time_out()
    {
        var now = new DateTimeOffset(2026, 11, 22, 8, 0, 0, TimeSpan.Zero);
        var limit = IdentityLimits.CheckOneMore(5, Defaults.MaxNumbersPerCarrier);

        Assert.Null(IdentityLimits.CheckOneMore(4, Defaults.MaxNumbersPerCarrier));
        Assert.Equal(ReasonCode.IdentityLimitExceeded, limit?.Code);
        Assert.Equal(("5", "5"), (limit!.Details["held"], limit.Details["limit"]));
        Assert.True(IdentityLimits.Counts(new Holding("cmcc", Confirmed: false, now.AddMinutes(-5)), now, Defaults.ReservationTimeout));
        Assert.False(IdentityLimits.Counts(new Holding("cmcc", Confirmed: false, now.AddMinutes(-5).AddTicks(-1)), now, Defaults.ReservationTimeout));
        Assert.True(IdentityLimits.Counts(new Holding("cmcc", Confirmed: true, now.AddYears(-3)), now, Defaults.ReservationTimeout));
    }

    [Fact]
    public void Many_cards_triggers_once_when_a_new_number_reaches_the_threshold()
    {
        Assert.True(IdentityLimits.ReachesManyCards(newlyConfirmed: true, confirmedNow: 8, Defaults.ManyCardsThreshold));
        Assert.False(IdentityLimits.ReachesManyCards(newlyConfirmed: true, confirmedNow: 9, Defaults.ManyCardsThreshold));
        Assert.False(IdentityLimits.ReachesManyCards(newlyConfirmed: false, confirmedNow: 8, Defaults.ManyCardsThreshold));
        Assert.False(IdentityLimits.ReachesManyCards(newlyConfirmed: true, confirmedNow: 7, Defaults.ManyCardsThreshold));
    }

    [Theory]
    [InlineData(SubscriberStatus.Active, ReReviewTriggerResult.Started)]
    [InlineData(SubscriberStatus.ReReviewRequired, ReReviewTriggerResult.AlreadyRunning)]
    [InlineData(SubscriberStatus.None, ReReviewTriggerResult.NotActive)]
    [InlineData(SubscriberStatus.PendingReview, ReReviewTriggerResult.NotActive)]
    [InlineData(SubscriberStatus.Suspended, ReReviewTriggerResult.NotActive)]
    [InlineData(SubscriberStatus.Cancelled, ReReviewTriggerResult.NotActive)]
    [InlineData(SubscriberStatus.Rejected, ReReviewTriggerResult.NotActive)]
    public void Only_a_number_in_service_can_be_put_into_re_review(SubscriberStatus status, ReReviewTriggerResult result)
    {
        Assert.Equal(result, ReReviewRules.OnTrigger(status));
    }

    [Fact]
    public void A_re_review_has_a_deadline_and_is_answered_only_while_running_or_suspended()
    {
        var started = new DateTimeOffset(2026, 11, 22, 8, 0, 0, TimeSpan.Zero);
        var deadline = ReReviewRules.Deadline(started, new ReReviewOptions());

        Assert.Equal(started.AddHours(24), deadline);
        Assert.False(ReReviewRules.IsOverdue(deadline, reviewerHoldsCase: false, deadline.AddTicks(-1)));
        Assert.True(ReReviewRules.IsOverdue(deadline, reviewerHoldsCase: false, deadline));
        Assert.False(ReReviewRules.IsOverdue(deadline, reviewerHoldsCase: true, deadline.AddDays(1)));
        Assert.Null(ReReviewRules.CheckReVerification(SubscriberStatus.ReReviewRequired, hasReReview: true));
        Assert.Null(ReReviewRules.CheckReVerification(SubscriberStatus.Suspended, hasReReview: true));
        Assert.Equal(ReasonCode.NoReReviewPending, ReReviewRules.CheckReVerification(SubscriberStatus.Suspended, hasReReview: false)?.Code);
        Assert.Equal(ReasonCode.NoReReviewPending, ReReviewRules.CheckReVerification(SubscriberStatus.Active, hasReReview: true)?.Code);
    }

    [Theory]
    [InlineData(ReReviewTrigger.SimReplacement, true)]
    [InlineData(ReReviewTrigger.DormantReactivation, true)]
    [InlineData(ReReviewTrigger.ManyCards, true)]
    [InlineData(ReReviewTrigger.RiskAlert, true)]
    [InlineData(ReReviewTrigger.Periodic, true)]
    [InlineData(ReReviewTrigger.Manual, true)]
    [InlineData(ReReviewTrigger.FraudReport, false)]
    [InlineData(ReReviewTrigger.Dispute, false)]
    [InlineData(ReReviewTrigger.Campaign, false)]
    [InlineData(null, false)]
    public void Risk_operators_name_only_the_triggers_without_a_call_of_their_own(ReReviewTrigger? trigger, bool allowed)
    {
        Assert.Equal(allowed ? null : ReasonCode.TriggerNotAllowed, ReReviewRules.CheckOperatorTrigger(trigger)?.Code);
    }

    [Fact]
    public void The_registration_policy_checks_card_then_documents_then_liveness_then_age()
    {
        var adult = new PersonFacts(new DateOnly(1985, 6, 15), new DateOnly(2035, 1, 1));
        var expired = adult with { ValidUntil = Today.AddDays(-1) };
        var minor = new PersonFacts(Today.AddYears(-12), null);
        RegistrationFacts Facts(PersonFacts? customer, ChannelKind channel = ChannelKind.Retail, PersonFacts? guardian = null, PersonFacts? agent = null) =>
            new(CardType.Personal, channel, customer, agent, guardian, HasEnterprise: false, Iot: null, Liveness: null);

        Assert.Null(RegistrationPolicy.Check(Facts(adult), Defaults, Today));
        Assert.Equal(ReasonCode.CustomerRequired, RegistrationPolicy.Check(Facts(null), Defaults, Today)?.Code);
        var refused = RegistrationPolicy.Check(Facts(expired, ChannelKind.Online), Defaults, Today);
        Assert.Equal((ReasonCode.DocumentExpired, "customer.document.valid_until"), (refused?.Code, refused?.Field));
        Assert.Equal("agent.document.valid_until", RegistrationPolicy.Check(Facts(adult, agent: expired), Defaults, Today)?.Field);
        Assert.Equal("guardian.document.valid_until", RegistrationPolicy.Check(Facts(minor, guardian: expired), Defaults, Today)?.Field);
        Assert.Equal(ReasonCode.LivenessRequired, RegistrationPolicy.Check(Facts(minor, ChannelKind.Online), Defaults, Today)?.Code);
        Assert.Equal(ReasonCode.MinorRequiresGuardian, RegistrationPolicy.Check(Facts(minor), Defaults, Today)?.Code);
        Assert.Null(RegistrationPolicy.Check(Facts(minor, guardian: adult), Defaults, Today));
    }
}
