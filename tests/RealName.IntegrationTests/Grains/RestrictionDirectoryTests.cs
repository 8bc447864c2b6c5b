using Microsoft.Extensions.DependencyInjection;
using Orleans.Core.Internal;
using Orleans.Storage;
using RealName.Grains;
using RealName.Grains.Restrictions;
using RealName.Grains.Subscribers;
using RealName.IntegrationTests.Infrastructure;
using RealName.Rules;

namespace RealName.IntegrationTests.Grains;

/// <summary>
/// The identities that ever had a restriction are rows spread over directory shards (schema 0105): a first restriction
/// is one insert, the single directory of earlier versions is never written again, and what it stored still bars.
/// </summary>
[Collection(GrainClusterCollection.Name)]
public sealed class RestrictionDirectoryTests(GrainClusterFixture fixture)
{
    private const string LegacyStateName = "restriction-directory";

    private IGrainStorage Storage => fixture.Cluster.GetSiloServiceProvider().GetRequiredKeyedService<IGrainStorage>(GrainStorage.Name);

    private IRestrictionDirectoryGrain Legacy => fixture.Grains.GetGrain<IRestrictionDirectoryGrain>(0);

    [Fact]
    public async Task A_first_restriction_is_one_row_in_its_shard_and_the_old_single_directory_is_not_written()
    {
        var identities = Enumerable.Range(0, 3).Select(_ => GrainRequests.NewIdentityKey()).ToList();
        var bystander = GrainRequests.NewIdentityKey();
        CallerContext.Set("risk-key-directory");
        foreach (var identity in identities)
        {
            var order = new RestrictionOrder(Guid.NewGuid().ToString("N"), DocumentKind.ResidentId, "310***12", "test", "PSB-1", null, GrainClusterFixture.Clock.GetUtcNow().AddYears(1));
            Assert.NotNull((await fixture.Grains.GetGrain<IRestrictionGrain>(identity).Restrict(order, "risk-1")).Restriction);
        }

        CallerContext.Set("");

        foreach (var identity in identities)
        {
            Assert.Equal((short)RestrictionDirectory.ShardOf(identity), await fixture.Database.ScalarAsync<short>(
                "SELECT shard FROM restricted_identities WHERE identity_key = @k", ("k", identity)));
        }

        Assert.Equal(identities.Order(StringComparer.Ordinal), (await RestrictionDirectory.EverRestricted(fixture.Grains, [.. identities, bystander])).Order(StringComparer.Ordinal));
        Assert.Subset(new HashSet<string>(await RestrictionDirectory.AllIdentityKeys(fixture.Grains)), new HashSet<string>(identities));
        var legacy = new GrainState<RestrictionDirectoryState>();
        await Storage.ReadStateAsync(LegacyStateName, Legacy.GetGrainId(), legacy);
        // (Another test here writes an old state of its own: what matters is that no restriction reached it.)
        Assert.Empty(legacy.State?.IdentityKeys.Intersect(identities) ?? []);
        var refused = await fixture.Grains.GetGrain<ISubscriberGrain>(GrainRequests.NewPhoneNumber()).Register(GrainRequests.Personal(identities[1]));
        Assert.Equal("IDENTITY_RESTRICTED", refused.Refusal?.Code);
    }

    [Fact]
    public async Task An_identity_the_old_single_directory_stored_is_still_found_by_its_shard_and_an_old_silos_registration_reaches_the_shard()
    {
        var stored = GrainRequests.NewIdentityKey();
        var shard = fixture.Grains.GetGrain<IRestrictionDirectoryShardGrain>(RestrictionDirectory.ShardOf(stored));
        Assert.Empty(await shard.EverRestricted([stored]));
        // The state an earlier version wrote, then both activations gone, as after an upgrade.
        await Storage.WriteStateAsync(LegacyStateName, Legacy.GetGrainId(), new GrainState<RestrictionDirectoryState>(new RestrictionDirectoryState { IdentityKeys = [stored] }));
        await Legacy.AsReference<IGrainManagementExtension>().DeactivateOnIdle();
        await shard.AsReference<IGrainManagementExtension>().DeactivateOnIdle();

        await Eventually.Get(() => shard.EverRestricted([stored]), found => found.Length == 1, TimeSpan.FromSeconds(30), "the shard reading the old directory's key on activation");
        Assert.Equal(1L, await fixture.Database.ScalarAsync<long>("SELECT count(*) FROM restricted_identities WHERE identity_key = @k", ("k", stored)));

        var registeredByOldSilo = GrainRequests.NewIdentityKey();
        await Legacy.Register(registeredByOldSilo);
        var found = await fixture.Grains.GetGrain<IRestrictionDirectoryShardGrain>(RestrictionDirectory.ShardOf(registeredByOldSilo)).EverRestricted([registeredByOldSilo]);
        Assert.Equal(registeredByOldSilo, Assert.Single(found));
    }
}
