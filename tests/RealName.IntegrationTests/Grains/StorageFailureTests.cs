using RealName.Grains;
using RealName.Grains.Subscribers;
using RealName.Rules;

namespace RealName.IntegrationTests.Grains;

/// <summary>A state write that fails (PostgreSQL restarting) is never acknowledged, and a retry is evaluated afresh.</summary>
[Collection(GrainClusterCollection.Name)]
public sealed class StorageFailureTests(GrainClusterFixture fixture)
{
    [Fact]
    public async Task A_registration_whose_state_write_failed_is_not_replayed_and_its_retry_registers_it()
    {
        var phone = GrainRequests.NewPhoneNumber();
        var grain = fixture.Grains.GetGrain<ISubscriberGrain>(phone);
        var request = GrainRequests.Personal(GrainRequests.NewIdentityKey());
        FaultyGrainStorage.FailNextWrites(phone);

        await Assert.ThrowsAsync<StorageUnavailableException>(() => grain.Register(request));

        // The activation that held the unwritten record is gone; the stored (empty) state is what remains.
        Assert.Null(await grain.GetRecord());
        var retry = await grain.Register(request);
        Assert.False(retry.Replayed);
        Assert.Equal(SubscriberStatus.Active, retry.Record!.Status);
        Assert.Equal(SubscriberStatus.Active, (await grain.GetRecord())!.Status);
        // The retry's decision is the same fact as the first attempt's: one event.
        Assert.Equal(1L, await fixture.Database.ScalarAsync<long>(
            "SELECT count(*) FROM audit_events WHERE phone_number = @p AND event_type = 'REGISTRATION_DECIDED'", ("p", phone)));
    }

    [Fact]
    public async Task A_retry_with_the_same_key_that_reaches_another_decision_is_a_conflict_not_a_silent_skip()
    {
        var phone = GrainRequests.NewPhoneNumber();
        var grain = fixture.Grains.GetGrain<ISubscriberGrain>(phone);
        var identity = GrainRequests.NewIdentityKey();
        var request = GrainRequests.Personal(identity);
        FaultyGrainStorage.FailNextWrites(phone);
        await Assert.ThrowsAsync<StorageUnavailableException>(() => grain.Register(request));

        // Same idempotency key, but a stranger in the live photo: REFUSED, while APPROVED is recorded under that key.
        var different = GrainRequests.Personal(identity, live: Infrastructure.Faces.Stranger) with { IdempotencyKey = request.IdempotencyKey };
        await Assert.ThrowsAsync<RequestConflictException>(() => grain.Register(different));

        Assert.Null(await grain.GetRecord());
        Assert.Equal("APPROVED", await fixture.Database.ScalarAsync<string>(
            "SELECT string_agg(decision, ',') FROM audit_events WHERE phone_number = @p AND event_type = 'REGISTRATION_DECIDED'", ("p", phone)));
    }
}
