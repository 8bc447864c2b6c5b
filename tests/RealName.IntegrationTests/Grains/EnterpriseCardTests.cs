using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;
using RealName.Grains;
using RealName.Grains.Enterprises;
using RealName.IntegrationTests.Infrastructure;

namespace RealName.IntegrationTests.Grains;

/// <summary>
/// An enterprise's IoT cards are rows of their own (schema 0100): taking a card does not rewrite a set that grows
/// with every card, the quota holds across activations, a retried reservation keeps its place at the quota, and a
/// released card gives its place back.
/// </summary>
[Collection(GrainClusterCollection.Name)]
public sealed class EnterpriseCardTests(GrainClusterFixture fixture)
{
    [Fact]
    public async Task Cards_are_rows_so_the_enterprise_state_does_not_grow_and_the_quota_holds()
    {
        var creditCode = Enterprises.NewCreditCode();
        var enterprise = fixture.Grains.GetGrain<IEnterpriseGrain>(creditCode);
        Assert.Equal("IOT_NOT_APPROVED", (await enterprise.ReserveIotCard(GrainRequests.NewPhoneNumber()))?.Code);
        await enterprise.ApproveIot(new IotApproval(3, "risk-1", "RA-2026-077", GrainClusterFixture.Clock.GetUtcNow()));
        var cards = Enumerable.Range(0, 4).Select(_ => GrainRequests.NewPhoneNumber()).ToList();

        Assert.Null(await enterprise.ReserveIotCard(cards[0]));
        var stateAfterOne = await StoredState(enterprise);
        Assert.Null(await enterprise.ReserveIotCard(cards[1]));
        Assert.Null(await enterprise.ReserveIotCard(cards[2]));
        var stateAfterThree = await StoredState(enterprise);
        var refused = await enterprise.ReserveIotCard(cards[3]);
        var retried = await enterprise.ReserveIotCard(cards[2]);

        // Taking a card never writes the enterprise's state (same version), and the state holds no card.
        Assert.Equal(stateAfterOne, stateAfterThree);
        Assert.Equal(0, stateAfterThree.Cards);
        Assert.Equal("IOT_QUOTA_EXCEEDED", refused?.Code);
        Assert.Null(retried);
        Assert.Equal(3, await enterprise.IotCardsHeld());
        Assert.Equal(3L, await fixture.Database.ScalarAsync<long>("SELECT count(*) FROM enterprise_iot_cards WHERE credit_code = @c", ("c", creditCode)));

        await enterprise.ReleaseCard(cards[0]);
        await enterprise.ReleaseCard(cards[0]);
        Assert.Equal(2, await enterprise.IotCardsHeld());
        Assert.Null(await enterprise.ReserveIotCard(cards[3]));
        Assert.Equal("IOT_QUOTA_EXCEEDED", (await enterprise.ReserveIotCard(cards[0]))?.Code);
    }

    [Fact]
    public async Task An_activation_counts_the_cards_already_held_in_the_table()
    {
        var creditCode = Enterprises.NewCreditCode();
        foreach (var phone in new[] { GrainRequests.NewPhoneNumber(), GrainRequests.NewPhoneNumber() })
        {
            await fixture.Database.ScalarAsync<int>(
                "INSERT INTO enterprise_iot_cards (credit_code, phone_number) VALUES (@c, @p) RETURNING 1", ("c", creditCode), ("p", phone));
        }

        var enterprise = fixture.Grains.GetGrain<IEnterpriseGrain>(creditCode);
        await enterprise.ApproveIot(new IotApproval(2, "risk-1", "RA-2026-078", GrainClusterFixture.Clock.GetUtcNow()));

        Assert.Equal(2, await enterprise.IotCardsHeld());
        Assert.Equal("IOT_QUOTA_EXCEEDED", (await enterprise.ReserveIotCard(GrainRequests.NewPhoneNumber()))?.Code);
    }

    /// <summary>The stored state's version and card count (this cluster's grain storage is in memory, behind the silos).</summary>
    private async Task<(string? ETag, int Cards)> StoredState(IEnterpriseGrain enterprise)
    {
        var stored = new GrainState<EnterpriseState>();
        await fixture.Cluster.GetSiloServiceProvider().GetRequiredKeyedService<IGrainStorage>(GrainStorage.Name)
            .ReadStateAsync("enterprise", enterprise.GetGrainId(), stored);
        Assert.True(stored.RecordExists);
        return (stored.ETag, stored.State!.IotCards.Count);
    }
}
