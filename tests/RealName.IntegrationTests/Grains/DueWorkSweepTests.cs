using RealName.Grains.Subscribers;
using RealName.IntegrationTests.Infrastructure;

namespace RealName.IntegrationTests.Grains;

/// <summary>
/// Due work is done at least once: a sweeper's call that fails (here the grain's state write, the way PostgreSQL
/// fails while it restarts) leaves the row as it was, and a later sweep does the work and moves the row on.
/// </summary>
[Collection(GrainClusterCollection.Name)]
public sealed class DueWorkSweepTests(GrainClusterFixture fixture)
{
    private const string Retention = "retention";

    [Fact]
    public async Task Due_work_whose_grain_call_fails_stays_due_and_a_later_sweep_does_it()
    {
        var phone = GrainRequests.NewPhoneNumber();
        var subscriber = fixture.Grains.GetGrain<ISubscriberGrain>(phone);
        await subscriber.Register(GrainRequests.Personal(GrainRequests.NewIdentityKey()));
        await subscriber.Cancel("clerk-1", "CANCELLED_BY_HOLDER");
        var cancelledAt = GrainClusterFixture.Clock.GetUtcNow();
        // Retention:AfterServiceEnd of this cluster is an hour.
        var due = (await DueRows.DueAtAsync(fixture.Database, phone, Retention))!.Value;
        Assert.InRange(due - cancelledAt, TimeSpan.FromMinutes(59), TimeSpan.FromMinutes(61));

        FaultyGrainStorage.FailNextWrites(phone);
        GrainClusterFixture.Clock.Advance(TimeSpan.FromMinutes(62));
        await Eventually.Get(() => Task.FromResult(FaultyGrainStorage.FailuresLeft(phone)), left => left == 0, TimeSpan.FromSeconds(30), "a sweep calling the grain, whose state write fails");
        await Task.Delay(TimeSpan.FromSeconds(1));

        Assert.Equal(due, await DueRows.DueAtAsync(fixture.Database, phone, Retention));
        Assert.NotNull(await subscriber.GetRecord());

        GrainClusterFixture.Clock.Advance(TimeSpan.FromSeconds(2));
        await Eventually.Get(() => subscriber.GetRecord(), record => record is null, TimeSpan.FromSeconds(30), "a later sweep purging the record");
        // The row moved on to the next waiting deletion (the kept images' own date), or went.
        Assert.True(await DueRows.DueAtAsync(fixture.Database, phone, Retention) is not { } next || next > due);
    }
}
