using RealName.Grains.FraudReports;
using RealName.Grains.Subscribers;
using RealName.IntegrationTests.Infrastructure;
using RealName.Rules;

namespace RealName.IntegrationTests.Grains;

/// <summary>
/// A fraud-report case measures FraudReports:CancelAfter (an hour in this cluster) on the grid's clock, not on the wall
/// clock: on the fake clock (which also drives this cluster's reminders) the number is still suspended a minute before
/// the hour and cancelled once it has passed.
/// </summary>
[Collection(GrainClusterCollection.Name)]
public sealed class FraudReportClockTests(GrainClusterFixture fixture)
{
    [Fact]
    public async Task A_number_that_failed_its_re_review_is_cancelled_only_once_the_configured_period_has_passed_on_the_grid_clock()
    {
        var phone = GrainRequests.NewPhoneNumber();
        var number = fixture.Grains.GetGrain<ISubscriberGrain>(phone);
        Assert.Equal(SubscriberStatus.Active, (await number.Register(GrainRequests.Personal(GrainRequests.NewIdentityKey()))).Record!.Status);
        var report = fixture.Grains.GetGrain<IFraudReportGrain>("clock-" + Guid.NewGuid().ToString("N"));

        var filed = await report.File(new FraudReportFiling(phone, FraudReportSource.InternalModel, null, "risk-1"));
        var failed = await number.ReVerify(new ReVerification(Guid.NewGuid().ToString("N"), Faces.Image(Faces.Stranger).ToByteArray(), GrainRequests.Retail()));
        // The cluster's reminders run on the fake clock too: a few seconds of it let the case look at its number.
        GrainClusterFixture.Clock.Advance(TimeSpan.FromSeconds(5));
        var suspended = await Eventually.Get(report.Get, c => c!.Disposition == FraudReportDisposition.Suspended, TimeSpan.FromSeconds(30), "the case to see the failed re-review");

        GrainClusterFixture.Clock.Advance(TimeSpan.FromMinutes(59) - TimeSpan.FromSeconds(5));
        await Task.Delay(TimeSpan.FromSeconds(3));
        var beforeTheHour = await report.Get();
        var numberBeforeTheHour = (await number.GetRecord())!.Status;
        GrainClusterFixture.Clock.Advance(TimeSpan.FromMinutes(2));
        var closed = await Eventually.Get(report.Get, c => c!.Closed, TimeSpan.FromSeconds(30), "the cancellation after an hour of the grid's clock");

        Assert.Equal(FraudReportDisposition.ReReviewStarted, filed.Disposition);
        Assert.Equal(SubscriberStatus.Suspended, failed.Record!.Status);
        Assert.True(suspended!.FraudConfirmed);
        Assert.Equal(failed.Record.History[^1].At + TimeSpan.FromHours(1), suspended.CancelDueAt);
        Assert.False(beforeTheHour!.Closed);
        Assert.Equal(SubscriberStatus.Suspended, numberBeforeTheHour);
        Assert.Equal((FraudReportOutcome.Cancelled, FraudReportDisposition.Cancelled), (closed!.Outcome, closed.Disposition));
        Assert.Equal(SubscriberStatus.Cancelled, (await number.GetRecord())!.Status);
    }
}
