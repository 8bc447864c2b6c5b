using Orleans.Runtime;
using RealName.Contracts.V1;
using RealName.IntegrationTests.Infrastructure;

namespace RealName.IntegrationTests.Rules;

/// <summary>
/// A number registered without a holder (an IoT card of an enterprise, no customer) has no face to re-verify: its
/// periodic re-review could only suspend it at the deadline. A reminder scheduled for one before that was known removes
/// itself when it fires, while a card with a holder is re-reviewed as before.
/// </summary>
public sealed class HolderlessReReviewTests
{
    [Fact]
    public async Task A_periodic_re_review_reminder_of_a_card_without_a_holder_removes_itself_and_leaves_the_card_active()
    {
        await using var grid = await GridFixture.StartAsync(new Dictionary<string, string>
        {
            ["ReReview:PeriodicInterval"] = "00:00:03",
            ["Cluster:Reminders:MinimumReminderPeriod"] = "00:00:01",
        });
        var client = new RegistrationService.RegistrationServiceClient(grid.Gateway.As(Roles.RetailTerminal));
        var enterprise = new Enterprise { CreditCode = Enterprises.NewCreditCode(), Name = "物联网传感" };
        await new RiskService.RiskServiceClient(grid.Gateway.As(Roles.RiskOperator))
            .ApproveIotQuotaAsync(new ApproveIotQuotaRequest { Enterprise = enterprise, Quota = 1, AssessmentReference = "RA-2026-003" });
        var sensor = Requests.Register(Requests.NewPhoneNumber());
        sensor.CardType = CardType.Iot;
        sensor.Enterprise = enterprise;
        sensor.Iot = new IotProfile { DirectionalDataOnly = true, MonthlyDataMb = 30 };
        sensor.Customer = null;
        var holder = Requests.Register(Requests.NewPhoneNumber());
        await client.RegisterSubscriberAsync(sensor);
        await client.RegisterSubscriberAsync(holder);

        // The reminder an earlier version scheduled for the sensor (with the holder's period), loaded when the silo
        // starts; the holder's periodic re-review is its due_work row.
        await grid.Silo.KillAsync();
        var grainHash = unchecked((int)GrainId.Create("subscriber", sensor.PhoneNumber).GetUniformHashCode());
        Assert.Equal(1, await grid.Database.ScalarAsync<int>(
            "WITH stored AS (INSERT INTO orleansreminderstable (serviceid, grainid, remindername, starttime, period, grainhash, version) " +
            "SELECT serviceid, @sensor, 'periodic-re-review', now(), 3000, @hash, 0 FROM orleansreminderstable LIMIT 1 RETURNING 1) " +
            "SELECT count(*)::int FROM stored",
            ("sensor", "subscriber/" + sensor.PhoneNumber), ("hash", grainHash)));
        Assert.Equal(1L, await DueRows.CountAsync(grid.Database, holder.PhoneNumber, "periodic-re-review"));
        await grid.Silo.StartAsync();

        await Eventually.Get(
            () => client.GetSubscriberAsync(new GetSubscriberRequest { PhoneNumber = holder.PhoneNumber }).ResponseAsync,
            r => r.Subscriber.Status == SubscriberStatus.ReReviewRequired,
            TimeSpan.FromSeconds(90),
            "the holder's periodic re-review firing");
        await Eventually.Get(
            () => grid.Database.ScalarAsync<long>(
                "SELECT count(*) FROM orleansreminderstable WHERE grainid = @g AND remindername = 'periodic-re-review'", ("g", "subscriber/" + sensor.PhoneNumber)),
            count => count == 0,
            TimeSpan.FromSeconds(30),
            "the sensor's periodic re-review reminder removing itself");
        var card = (await client.GetSubscriberAsync(new GetSubscriberRequest { PhoneNumber = sensor.PhoneNumber })).Subscriber;
        Assert.Equal(SubscriberStatus.Active, card.Status);
        Assert.DoesNotContain(card.History, entry => entry.Reasons.Contains("PERIODIC"));
        Assert.Equal(0L, await DueRows.CountAsync(grid.Database, sensor.PhoneNumber, "periodic-re-review"));
    }
}
