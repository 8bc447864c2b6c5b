using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;
using RealName.Grains.Identities;
using RealName.Grains.Subscribers;
using RealName.Storage;

namespace RealName.IntegrationTests.Grains;

/// <summary>
/// Subscriber and identity grains live on the silo that owns their audit chain partition (the partition's number
/// modulo the silos, in address order), so one silo appends each partition's events and finds its head where it left it.
/// </summary>
[Collection(GrainClusterCollection.Name)]
public sealed class AuditPartitionPlacementTests(GrainClusterFixture fixture)
{
    [Fact]
    public async Task Numbers_and_identities_activate_on_the_silo_that_owns_their_audit_partition()
    {
        var management = fixture.Grains.GetGrain<IManagementGrain>(0);
        var silos = (await management.GetHosts(onlyActive: true)).Keys.Order().ToList();
        Assert.Equal(2, silos.Count);
        var audit = Assert.IsType<InProcessSiloHandle>(fixture.Cluster.Primary).SiloHost.Services.GetRequiredService<AuditLog>();

        var placed = new List<(int Partition, SiloAddress Silo)>();
        foreach (var phone in Enumerable.Range(0, 24).Select(_ => GrainRequests.NewPhoneNumber()))
        {
            var subscriber = fixture.Grains.GetGrain<ISubscriberGrain>(phone);
            Assert.Null(await subscriber.GetRecord());
            placed.Add((audit.PartitionOf(phone), (await management.GetActivationAddress(subscriber))!));
        }

        foreach (var key in Enumerable.Range(0, 24).Select(_ => GrainRequests.NewIdentityKey()))
        {
            var identity = fixture.Grains.GetGrain<IIdentityGrain>(key);
            Assert.Empty(await identity.GetNumbers());
            placed.Add((audit.PartitionOf(key), (await management.GetActivationAddress(identity))!));
        }

        Assert.All(placed, p => Assert.Equal(silos[p.Partition % silos.Count], p.Silo));
        // Both silos own partitions and got grains: the rule spreads the load, it does not pin it to one silo.
        Assert.Equal(2, placed.Select(p => p.Silo).Distinct().Count());
    }
}
