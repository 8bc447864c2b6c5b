using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;
using RealName.Grains;
using RealName.Grains.Campaigns;
using RealName.Grains.Subscribers;
using RealName.IntegrationTests.Infrastructure;
using RealName.Rules;
using RealName.Storage;

namespace RealName.IntegrationTests.Grains;

/// <summary>
/// A campaign stored before schema 0106 held its target numbers in its state: on activation they move to their rows
/// and the campaign goes on from its cursor, re-reviewing exactly the numbers it had not reached.
/// </summary>
[Collection(GrainClusterCollection.Name)]
public sealed class CampaignTargetRowsTests(GrainClusterFixture fixture)
{
    [Fact]
    public async Task A_campaign_with_its_targets_in_its_state_moves_them_to_rows_and_finishes_from_its_cursor()
    {
        var numbers = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var phone = GrainRequests.NewPhoneNumber();
            Assert.Null((await fixture.Grains.GetGrain<ISubscriberGrain>(phone).Register(GrainRequests.Personal(GrainRequests.NewIdentityKey()))).Refusal);
            numbers.Add(phone);
        }

        var campaignId = "cmp-legacy-" + Guid.NewGuid().ToString("N")[..8];
        var campaign = fixture.Grains.GetGrain<ICampaignGrain>(campaignId);
        var now = GrainClusterFixture.Clock.GetUtcNow();
        // As an earlier version stored it: every target in the state, the first one already done.
        var legacy = new CampaignState
        {
            Definition = new CampaignDefinition("SH-LEGACY", null, now.AddDays(-1), now, "risk-legacy"),
            Targets = [.. numbers],
            Cursor = 1,
            Started = 1,
            CreatedAt = now,
            StartedBy = "risk-key-legacy",
        };
        var storage = fixture.Cluster.GetSiloServiceProvider().GetRequiredKeyedService<IGrainStorage>(GrainStorage.Name);
        await storage.WriteStateAsync("campaign", campaign.GetGrainId(), new GrainState<CampaignState>(legacy));

        var done = await Eventually.Get(async () => await campaign.GetProgress(), p => p is { Completed: true }, TimeSpan.FromSeconds(60), "the moved campaign finishing");

        Assert.Equal((3, 3, 3, 0), (done!.Targets, done.Processed, done.Started, done.Failed));
        Assert.Equal(SubscriberStatus.Active, (await fixture.Grains.GetGrain<ISubscriberGrain>(numbers[0]).GetRecord())?.Status);
        foreach (var phone in numbers.Skip(1))
        {
            Assert.Equal(SubscriberStatus.ReReviewRequired, (await fixture.Grains.GetGrain<ISubscriberGrain>(phone).GetRecord())?.Status);
        }

        var stored = new GrainState<CampaignState>();
        await storage.ReadStateAsync("campaign", campaign.GetGrainId(), stored);
        Assert.Equal((0, 3), (stored.State!.Targets.Length, stored.State.TargetCount));
        Assert.Equal(0L, await fixture.Database.ScalarAsync<long>("SELECT count(*) FROM campaign_targets WHERE campaign_id = @c", ("c", campaignId)));
    }

    [Fact]
    public async Task Target_rows_hold_the_numbers_sealed_and_read_back_by_position()
    {
        var store = fixture.Cluster.GetSiloServiceProvider().GetRequiredService<CampaignTargetStore>();
        var campaignId = "cmp-rows-" + Guid.NewGuid().ToString("N")[..8];
        string[] numbers = [GrainRequests.NewPhoneNumber(), GrainRequests.NewPhoneNumber(), GrainRequests.NewPhoneNumber()];

        await store.ReplaceAsync(campaignId, numbers);
        await store.ReplaceAsync(campaignId, numbers); // a start repeated after a crash

        Assert.Equal(numbers[1..], await store.ReadAsync(campaignId, 1, 5));
        Assert.Equal(3L, await fixture.Database.ScalarAsync<long>("SELECT count(*) FROM campaign_targets WHERE campaign_id = @c", ("c", campaignId)));
        Assert.Equal(0L, await fixture.Database.ScalarAsync<long>(
            "SELECT count(*) FROM campaign_targets WHERE campaign_id = @c AND position(convert_to(@n, 'UTF8') in sealed_number) > 0", ("c", campaignId), ("n", numbers[0])));
        await store.DeleteAsync(campaignId);
        Assert.Empty(await store.ReadAsync(campaignId, 0, 5));
    }
}
