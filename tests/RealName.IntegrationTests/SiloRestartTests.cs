using Grpc.Core;
using RealName.Contracts.V1;
using RealName.IntegrationTests.Infrastructure;

namespace RealName.IntegrationTests;

/// <summary>Acknowledged writes and due work live in PostgreSQL: a silo killed with SIGKILL loses nothing.</summary>
public sealed class SiloRestartTests
{
    [Fact]
    public async Task A_registered_subscriber_survives_a_kill_9_of_the_silo()
    {
        await using var grid = await GridFixture.StartAsync();
        var client = new RegistrationService.RegistrationServiceClient(grid.Gateway.As(Roles.RetailTerminal));
        var phone = Requests.NewPhoneNumber();
        await client.RegisterSubscriberAsync(Requests.Register(phone, outlet: "SH-042"));

        await grid.Silo.KillAsync();
        var whileDown = await Assert.ThrowsAsync<Grpc.Core.RpcException>(() => client.GetSubscriberAsync(new GetSubscriberRequest { PhoneNumber = phone }).ResponseAsync);
        await grid.Silo.StartAsync();

        // No silo: a retryable UNAVAILABLE, not an internal error.
        Assert.Equal(Grpc.Core.StatusCode.Unavailable, whileDown.StatusCode);
        var response = await Eventually.Get(
            () => client.GetSubscriberAsync(new GetSubscriberRequest { PhoneNumber = phone }).ResponseAsync,
            _ => true,
            TimeSpan.FromSeconds(60),
            "reading the subscriber after the restart");
        Assert.Equal(SubscriberStatus.Active, response.Subscriber.Status);
        Assert.Equal("SH-042", response.Subscriber.RegisteredBy.OutletId);
    }

    [Fact]
    public async Task A_periodic_re_review_scheduled_before_a_kill_9_is_done_after_the_restart()
    {
        await using var grid = await GridFixture.StartAsync(new Dictionary<string, string>
        {
            // A periodic re-review due in 5 seconds stands in for the yearly one.
            ["ReReview:PeriodicInterval"] = "00:00:05",
            ["Cluster:Reminders:MinimumReminderPeriod"] = "00:00:01",
        });
        var client = new RegistrationService.RegistrationServiceClient(grid.Gateway.As(Roles.RetailTerminal));
        var phone = Requests.NewPhoneNumber();
        await client.RegisterSubscriberAsync(Requests.Register(phone));

        await grid.Silo.KillAsync();
        Assert.Equal(1L, await DueRows.CountAsync(grid.Database, phone, "periodic-re-review"));
        await grid.Silo.StartAsync();

        var response = await Eventually.Get(
            () => client.GetSubscriberAsync(new GetSubscriberRequest { PhoneNumber = phone }).ResponseAsync,
            r => r.Subscriber.Status == SubscriberStatus.ReReviewRequired,
            TimeSpan.FromSeconds(90),
            "the periodic re-review being swept after the restart");
        Assert.Contains("PERIODIC", response.Subscriber.History.Last().Reasons);
    }

    [Fact]
    public async Task A_re_review_deadline_that_passes_while_the_silo_is_down_suspends_after_the_restart()
    {
        await using var grid = await GridFixture.StartAsync(new Dictionary<string, string>
        {
            ["ReReview:Deadline"] = "00:00:04",
            ["Cluster:Reminders:MinimumReminderPeriod"] = "00:00:01",
        });
        var client = new RegistrationService.RegistrationServiceClient(grid.Gateway.As(Roles.RetailTerminal));
        var phone = Requests.NewPhoneNumber();
        await client.RegisterSubscriberAsync(Requests.Register(phone));
        await new RiskService.RiskServiceClient(grid.Gateway.As(Roles.RiskOperator)).TriggerReReviewAsync(new TriggerReReviewRequest { PhoneNumber = phone, Trigger = ReReviewTrigger.SimReplacement });
        var deadline = (await client.GetSubscriberAsync(new GetSubscriberRequest { PhoneNumber = phone })).Subscriber.ReReview.Deadline.ToDateTimeOffset();

        await grid.Silo.KillAsync();
        var untilDeadline = deadline - DateTimeOffset.UtcNow;
        if (untilDeadline > TimeSpan.Zero)
        {
            await Task.Delay(untilDeadline + TimeSpan.FromMilliseconds(200));
        }

        await grid.Silo.StartAsync();

        var suspended = await Eventually.Get(
            () => client.GetSubscriberAsync(new GetSubscriberRequest { PhoneNumber = phone }).ResponseAsync,
            r => r.Subscriber.Status == SubscriberStatus.Suspended,
            TimeSpan.FromSeconds(90),
            "suspension at the deadline after the restart");
        Assert.Equal("RE_REVIEW_OVERDUE", Assert.Single(suspended.Subscriber.History[^1].Reasons));
    }
}
