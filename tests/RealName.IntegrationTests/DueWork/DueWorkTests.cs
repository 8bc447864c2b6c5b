using RealName.Contracts.V1;
using RealName.IntegrationTests.Infrastructure;

namespace RealName.IntegrationTests.DueWork;

/// <summary>
/// The subscribers' scheduled work lives in due_work (schema 0111), swept by the sweeper grains the silo starts:
/// a registration adds a row and no Orleans reminder, due work is done after a restart without any request, and a
/// reminder stored by an earlier version does its work and becomes a row.
/// </summary>
public sealed class DueWorkTests
{
    private const string Periodic = "periodic-re-review";

    [Fact]
    public async Task A_registration_schedules_a_row_not_a_reminder_and_a_restarted_silo_sweeps_due_rows_and_converts_stored_reminders_without_a_request()
    {
        await using var grid = await GridFixture.StartAsync(new Dictionary<string, string> { ["Cluster:Reminders:MinimumReminderPeriod"] = "00:00:01" });
        var database = grid.Database;
        var client = new RegistrationService.RegistrationServiceClient(grid.Gateway.As(Roles.RetailTerminal));
        var swept = Requests.NewPhoneNumber();
        var legacy = Requests.NewPhoneNumber();
        var registeredAt = DateTimeOffset.UtcNow;
        await client.RegisterSubscriberAsync(Requests.Register(swept));
        await client.RegisterSubscriberAsync(Requests.Register(legacy));

        // One row a year ahead, no reminder; the number is not stored in clear.
        Assert.Equal((1L, 0L), (await DueRows.CountAsync(database, swept, Periodic), await DueRows.RemindersAsync(database, swept)));
        var due = (await DueRows.DueAtAsync(database, swept, Periodic))!.Value;
        Assert.InRange(due - registeredAt, TimeSpan.FromDays(365) - TimeSpan.FromMinutes(5), TimeSpan.FromDays(365) + TimeSpan.FromMinutes(5));
        Assert.Equal(0L, await database.ScalarAsync<long>("SELECT count(*) FROM due_work WHERE position(convert_to(@p, 'UTF8') in grain_key) > 0", ("p", swept)));
        // The sweepers' reminders: one per partition, not one per number.
        var sweeperReminders = await database.ScalarAsync<long>("SELECT count(*) FROM orleansreminderstable WHERE grainid LIKE 'dueworksweeper/%'");
        Assert.Equal(16L, sweeperReminders);
        var serviceId = (await database.ScalarAsync<string>("SELECT serviceid FROM orleansreminderstable LIMIT 1"))!;

        await grid.Silo.KillAsync();
        // While the silo is down: the first number's year passes, and the second one's row becomes the reminder an
        // earlier version would have stored (first tick once the silo has surely started; a tick missed at load waits a period).
        await database.ScalarAsync<int>("UPDATE due_work SET due_at = now() - interval '1 second' WHERE key_digest = @d", ("d", DueRows.DigestOf(database, swept)));
        await database.ScalarAsync<int>("DELETE FROM due_work WHERE key_digest = @d", ("d", DueRows.DigestOf(database, legacy)));
        await database.ScalarAsync<int>(
            "INSERT INTO orleansreminderstable (serviceid, grainid, remindername, starttime, period, grainhash, version) VALUES (@s, @g, @n, @t, @p, @h, 0)",
            ("s", serviceId), ("g", "subscriber/" + legacy), ("n", Periodic), ("t", DateTime.UtcNow.AddSeconds(40)),
            ("p", (long)TimeSpan.FromDays(365).TotalMilliseconds), ("h", (int)GrainId.Create("subscriber", legacy).GetUniformHashCode()));
        await grid.Silo.StartAsync();

        // No request reaches the grid: the sweeper starts the re-review, which schedules its deadline and the next year.
        await Eventually.Get(
            () => database.ScalarAsync<long>("SELECT count(*) FROM audit_events WHERE phone_number = @p AND event_type = 'RE_REVIEW_TRIGGERED'", ("p", swept)),
            count => count == 1,
            TimeSpan.FromSeconds(90),
            "the due periodic re-review being swept after the restart");
        var next = await Eventually.Get(() => DueRows.DueAtAsync(database, swept, Periodic), at => at > DateTimeOffset.UtcNow.AddDays(364), TimeSpan.FromSeconds(30), "the next periodic re-review scheduled");
        Assert.Equal(1L, await DueRows.CountAsync(database, swept, "re-review-deadline"));

        // The stored reminder fires: its re-review starts, it becomes a row, and the reminder is gone.
        await Eventually.Get(
            () => DueRows.RemindersAsync(database, legacy),
            count => count == 0,
            TimeSpan.FromSeconds(120),
            "the stored periodic reminder firing and removing itself");
        Assert.Equal(1L, await DueRows.CountAsync(database, legacy, Periodic));
        Assert.True(await DueRows.DueAtAsync(database, legacy, Periodic) > DateTimeOffset.UtcNow.AddDays(364));

        var sweptNow = (await client.GetSubscriberAsync(new GetSubscriberRequest { PhoneNumber = swept })).Subscriber;
        var legacyNow = (await client.GetSubscriberAsync(new GetSubscriberRequest { PhoneNumber = legacy })).Subscriber;
        Assert.Equal((SubscriberStatus.ReReviewRequired, SubscriberStatus.ReReviewRequired), (sweptNow.Status, legacyNow.Status));
        Assert.Contains("PERIODIC", sweptNow.History[^1].Reasons);
        Assert.Contains("PERIODIC", legacyNow.History[^1].Reasons);
        Assert.NotNull(next);
    }
}
