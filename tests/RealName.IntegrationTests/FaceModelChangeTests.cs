using RealName.Contracts.V1;
using RealName.IntegrationTests.Infrastructure;

namespace RealName.IntegrationTests;

/// <summary>
/// The face model changes under a live grid (a silo with another model version replaces the one that enrolled the
/// holder): a re-review never fails or suspends the holder because the enrolled templates are incomparable. The
/// terminal is told to read the document portrait, the re-review passes with it, and the identity is re-enrolled.
/// </summary>
public sealed class FaceModelChangeTests
{
    [Fact]
    public async Task A_re_review_after_a_model_change_re_enrolls_the_holder_and_passes()
    {
        await using var grid = await GridFixture.StartAsync(new Dictionary<string, string>(LivenessSdk.SiloSettings));
        var channel = new RegistrationService.RegistrationServiceClient(grid.Gateway.As(Roles.RetailTerminal));
        var risk = new RiskService.RiskServiceClient(grid.Gateway.As(Roles.RiskOperator));
        var phone = Requests.NewPhoneNumber();
        Assert.Equal(SubscriberStatus.Active, (await channel.RegisterSubscriberAsync(Requests.Register(phone))).Subscriber.Status);
        var enrolledWith = (await channel.GetSubscriberAsync(new GetSubscriberRequest { PhoneNumber = phone })).Subscriber.Faces.Single().ModelVersion;

        // Another embedding space (flip fusion off) on a new silo; the old silo leaves, so the grains move over.
        await using var upgraded = new SiloProcess(grid.Database, grid.ClusterId, new Dictionary<string, string>(LivenessSdk.SiloSettings) { ["Face:FlipFusion"] = "false" });
        await upgraded.StartAsync();
        await grid.Silo.StopAsync();

        await Eventually.Get(
            () => risk.TriggerReReviewAsync(new TriggerReReviewRequest { PhoneNumber = phone, Trigger = ReReviewTrigger.RiskAlert }).ResponseAsync,
            _ => true, TimeSpan.FromSeconds(60), "the upgraded silo serving");

        // The live photo alone cannot be compared with the old model's enrolment: a precondition, not a failure.
        var info = await RpcAssert.Refused("RE_ENROLMENT_REQUIRED", () => channel.ReVerifySubscriberAsync(ReVerify(phone, withPortrait: false)));
        Assert.Equal(SubscriberStatus.ReReviewRequired, (await channel.GetSubscriberAsync(new GetSubscriberRequest { PhoneNumber = phone })).Subscriber.Status);
        Assert.NotNull(info);

        // With the document portrait read again: passed, and the identity now holds the new model's templates.
        var passed = await channel.ReVerifySubscriberAsync(ReVerify(phone, withPortrait: true));
        Assert.Equal(SubscriberStatus.Active, passed.Subscriber.Status);
        var decided = await grid.Database.ScalarAsync<string>(
            "SELECT model_version || '|' || details FROM audit_events WHERE event_type = 'RE_REVIEW_DECIDED' AND phone_number = @p AND decision = 'PASSED' ORDER BY seq LIMIT 1",
            ("p", phone));
        Assert.DoesNotContain(enrolledWith + "|", decided, StringComparison.Ordinal);
        Assert.Contains("\"re_enrolled\":true", decided, StringComparison.Ordinal);

        // The next re-review needs only the live photo again.
        await risk.TriggerReReviewAsync(new TriggerReReviewRequest { PhoneNumber = phone, Trigger = ReReviewTrigger.RiskAlert });
        Assert.Equal(SubscriberStatus.Active, (await channel.ReVerifySubscriberAsync(ReVerify(phone, withPortrait: false))).Subscriber.Status);

        // A stranger with the holder's portrait is still refused: the re-enrolment path compares faces for real.
        await risk.TriggerReReviewAsync(new TriggerReReviewRequest { PhoneNumber = phone, Trigger = ReReviewTrigger.RiskAlert });
        var stranger = await channel.ReVerifySubscriberAsync(ReVerify(phone, withPortrait: false, live: Faces.Stranger));
        Assert.Equal(SubscriberStatus.Suspended, stranger.Subscriber.Status);
    }

    private static ReVerifySubscriberRequest ReVerify(string phone, bool withPortrait, string? live = null) => new()
    {
        PhoneNumber = phone,
        LiveImage = Faces.Image(live ?? Faces.CardHolder.OtherLive),
        PortraitImage = withPortrait ? Faces.Image(Faces.CardHolder.Portrait) : Google.Protobuf.ByteString.Empty,
        Channel = Requests.Retail("SH-099", "clerk-9"),
        RequestId = Guid.NewGuid().ToString("N"),
    };
}
