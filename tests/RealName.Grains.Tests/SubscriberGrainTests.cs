using RealName.Grains.Subscribers;

namespace RealName.Grains.Tests;

[Collection(ClusterCollection.Name)]
public sealed class SubscriberGrainTests(ClusterFixture fixture)
{
    [Fact]
    public async Task Register_stores_an_active_record_with_its_channel_and_history()
    {
        var phone = TestData.NewPhoneNumber();
        var grain = fixture.Grains.GetGrain<ISubscriberGrain>(phone);

        var outcome = await grain.Register(new SubscriberRegistration(TestData.Owner(), TestData.Retail("BJ-7", "clerk-9"), "key-0001"));

        Assert.Null(outcome.Refusal);
        Assert.False(outcome.Replayed);
        var record = await grain.GetRecord();
        Assert.NotNull(record);
        Assert.Equal(phone, record.PhoneNumber);
        Assert.Equal(SubscriberStatus.Active, record.Status);
        Assert.Equal("BJ-7", record.RegisteredBy.OutletId);
        Assert.Equal(ClusterFixture.Clock.GetUtcNow(), record.RegisteredAt);
        var entry = Assert.Single(record.History);
        Assert.Equal("REGISTERED", entry.Event);
        Assert.Equal("clerk-9", entry.Actor);
    }

    [Fact]
    public async Task Unregistered_number_has_no_record()
    {
        Assert.Null(await fixture.Grains.GetGrain<ISubscriberGrain>(TestData.NewPhoneNumber()).GetRecord());
    }

    [Fact]
    public async Task Retry_with_the_same_idempotency_key_replays_the_first_outcome()
    {
        var grain = fixture.Grains.GetGrain<ISubscriberGrain>(TestData.NewPhoneNumber());
        var request = new SubscriberRegistration(TestData.Owner(), TestData.Retail(), "key-0002");

        var first = await grain.Register(request);
        var retry = await grain.Register(request);

        Assert.True(retry.Replayed);
        Assert.Equivalent(first.Record, retry.Record, strict: true);
        Assert.Single((await grain.GetRecord())!.History);
    }

    [Fact]
    public async Task A_second_registration_of_an_active_number_is_refused()
    {
        var grain = fixture.Grains.GetGrain<ISubscriberGrain>(TestData.NewPhoneNumber());
        await grain.Register(new SubscriberRegistration(TestData.Owner("a"), TestData.Retail(), "key-0003"));

        var second = await grain.Register(new SubscriberRegistration(TestData.Owner("b"), TestData.Retail(), "key-0004"));

        Assert.Equal(RefusalCodes.NumberAlreadyRegistered, second.Refusal?.Code);
        Assert.Equal("a", (await grain.GetRecord())!.Owner.IdentityKey);
    }
}
