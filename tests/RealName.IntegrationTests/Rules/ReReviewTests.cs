using RealName.Contracts.V1;
using RealName.IntegrationTests.Infrastructure;

namespace RealName.IntegrationTests.Rules;

/// <summary>Dynamic re-review (动态复核) end to end; the fixture's deadline is 5 seconds.</summary>
[Collection(GridCollection.Name)]
public sealed class ReReviewTests(GridFixture grid)
{
    private RegistrationService.RegistrationServiceClient Channel => new(grid.Gateway.As(Roles.RetailTerminal));

    private RiskService.RiskServiceClient Risk => new(grid.Gateway.As(Roles.RiskOperator));

    private async Task<string> RegisteredNumber(string? identity = null)
    {
        var phone = Requests.NewPhoneNumber();
        await Channel.RegisterSubscriberAsync(Requests.Register(phone, identity));
        return phone;
    }

    private Task<ReVerifySubscriberResponse> ReVerify(string phone, string live) =>
        Channel.ReVerifySubscriberAsync(new ReVerifySubscriberRequest
        {
            PhoneNumber = phone,
            LiveImage = Faces.Image(live),
            Channel = Requests.Retail("SH-099", "clerk-9"),
            RequestId = Guid.NewGuid().ToString("N"),
        }).ResponseAsync;

    private async Task<Subscriber> Read(string phone) =>
        (await Channel.GetSubscriberAsync(new GetSubscriberRequest { PhoneNumber = phone })).Subscriber;

    [Fact]
    public async Task A_trigger_sets_a_deadline_and_a_passing_live_photo_restores_the_number()
    {
        var phone = await RegisteredNumber();

        var triggered = await Risk.TriggerReReviewAsync(new TriggerReReviewRequest { PhoneNumber = phone, Trigger = ReReviewTrigger.SimReplacement });
        var during = await Read(phone);
        var passed = await ReVerify(phone, Faces.CardHolder.OtherLive);

        Assert.Equal(ReReviewTriggerOutcome.Started, triggered.Outcome);
        Assert.Equal(SubscriberStatus.ReReviewRequired, during.Status);
        Assert.Equal(ReReviewTrigger.SimReplacement, during.ReReview.Trigger);
        Assert.InRange((during.ReReview.Deadline.ToDateTimeOffset() - during.ReReview.StartedAt.ToDateTimeOffset()).TotalSeconds, 4.9, 5.1);
        Assert.Equal(SubscriberStatus.Active, passed.Subscriber.Status);
        Assert.Null(passed.Subscriber.ReReview);
        Assert.Equal("MATCH", await grid.Database.ScalarAsync<string>(
            "SELECT face_decision FROM audit_events WHERE phone_number = @p AND event_type = 'RE_REVIEW_DECIDED' AND decision = 'PASSED'", ("p", phone)));
        Assert.Equal(ReReviewTriggerOutcome.NotActive, (await Risk.TriggerReReviewAsync(new TriggerReReviewRequest { PhoneNumber = Requests.NewPhoneNumber(), Trigger = ReReviewTrigger.Manual })).Outcome);
    }

    [Fact]
    public async Task A_failed_re_review_suspends_and_a_later_pass_restores()
    {
        var phone = await RegisteredNumber();
        await Risk.TriggerReReviewAsync(new TriggerReReviewRequest { PhoneNumber = phone, Trigger = ReReviewTrigger.DormantReactivation });

        var failed = await ReVerify(phone, Faces.Stranger);
        var passed = await ReVerify(phone, Faces.CardHolder.OtherLive);

        Assert.Equal(SubscriberStatus.Suspended, failed.Subscriber.Status);
        Assert.Contains("RE_REVIEW_FAILED", failed.Subscriber.History[^1].Reasons);
        Assert.Equal(SubscriberStatus.Active, passed.Subscriber.Status);
        Assert.Equal("RE_REVIEW_PASSED", passed.Subscriber.History[^1].Event);
    }

    [Fact]
    public async Task A_missed_deadline_suspends_the_number()
    {
        var phone = await RegisteredNumber();
        await Risk.TriggerReReviewAsync(new TriggerReReviewRequest { PhoneNumber = phone, Trigger = ReReviewTrigger.RiskAlert });

        var suspended = await Eventually.Get(() => Read(phone), s => s.Status == SubscriberStatus.Suspended, TimeSpan.FromSeconds(60), "suspension after the deadline");

        Assert.Equal("RE_REVIEW_OVERDUE", Assert.Single(suspended.History[^1].Reasons));
        Assert.True(suspended.History[^1].At.ToDateTimeOffset() >= suspended.ReReview.Deadline.ToDateTimeOffset());
        // Passing afterwards still restores it.
        Assert.Equal(SubscriberStatus.Active, (await ReVerify(phone, Faces.CardHolder.OtherLive)).Subscriber.Status);
    }

    [Fact]
    public async Task A_refused_photo_changes_nothing_and_an_active_number_has_nothing_to_answer()
    {
        var phone = await RegisteredNumber();
        await RpcAssert.Refused("NO_RE_REVIEW_PENDING", () => Channel.ReVerifySubscriberAsync(new ReVerifySubscriberRequest
        {
            PhoneNumber = phone, LiveImage = Faces.Image(Faces.CardHolder.OtherLive), Channel = Requests.Retail(), RequestId = "no-pending-1",
        }));
        await Risk.TriggerReReviewAsync(new TriggerReReviewRequest { PhoneNumber = phone, Trigger = ReReviewTrigger.Manual });

        await RpcAssert.Refused("MULTIPLE_FACES", () => Channel.ReVerifySubscriberAsync(new ReVerifySubscriberRequest
        {
            PhoneNumber = phone, LiveImage = Faces.Image(Faces.Group), Channel = Requests.Retail(), RequestId = "group-photo-1",
        }));

        Assert.Equal(SubscriberStatus.ReReviewRequired, (await Read(phone)).Status);
    }

    [Fact]
    public async Task A_fraud_report_is_recorded_and_starts_a_re_review()
    {
        var phone = await RegisteredNumber();

        var reported = await Risk.ReportFraudAsync(new ReportFraudRequest { PhoneNumber = phone, ReportId = "fraud-case-0001", Source = FraudReportSource.PoliceNotice });

        Assert.Equal(ReReviewTriggerOutcome.Started, reported.Outcome);
        Assert.Equal(ReReviewTrigger.FraudReport, (await Read(phone)).ReReview.Trigger);
        Assert.Equal(1L, await grid.Database.ScalarAsync<long>("SELECT count(*) FROM audit_events WHERE phone_number = @p AND event_type = 'FRAUD_REPORTED'", ("p", phone)));
        Assert.Equal("SH-001", await grid.Database.ScalarAsync<string>("SELECT outlet_id FROM audit_events WHERE phone_number = @p AND event_type = 'FRAUD_REPORTED'", ("p", phone)));
    }

    [Fact]
    public async Task Reaching_many_cards_re_reviews_the_identitys_other_numbers()
    {
        // The fixture counts 3 numbers (any carrier) as many.
        var identity = Requests.NewResidentId();
        var first = await RegisteredNumber(identity);
        var second = await RegisteredNumber(identity);
        Assert.Equal(SubscriberStatus.Active, (await Read(first)).Status);

        var third = await RegisteredNumber(identity);

        Assert.Equal(ReReviewTrigger.ManyCards, (await Read(first)).ReReview?.Trigger);
        Assert.Equal(ReReviewTrigger.ManyCards, (await Read(second)).ReReview?.Trigger);
        Assert.Equal(SubscriberStatus.Active, (await Read(third)).Status);
    }

    [Fact]
    public async Task Risk_calls_need_the_risk_role()
    {
        var asChannel = new RiskService.RiskServiceClient(grid.Gateway.As(Roles.RetailTerminal));

        var error = await Assert.ThrowsAsync<Grpc.Core.RpcException>(() => asChannel.ReportFraudAsync(new ReportFraudRequest { PhoneNumber = Requests.NewPhoneNumber(), ReportId = "fraud-case-0002", Source = FraudReportSource.UserReport }).ResponseAsync);

        Assert.Equal(Grpc.Core.StatusCode.PermissionDenied, error.StatusCode);
    }
}
