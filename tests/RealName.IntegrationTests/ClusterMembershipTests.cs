using RealName.Contracts.V1;
using RealName.IntegrationTests.Infrastructure;

namespace RealName.IntegrationTests;

/// <summary>Two silo processes and one gateway form one cluster through the PostgreSQL membership table.</summary>
public sealed class ClusterMembershipTests
{
    [Fact]
    public async Task Calls_are_served_after_one_of_two_silos_stops()
    {
        await using var database = await TestDatabase.CreateAsync();
        var clusterId = "pair-" + Guid.NewGuid().ToString("N")[..8];
        await using var first = new SiloProcess(database, clusterId);
        await using var second = new SiloProcess(database, clusterId);
        await first.StartAsync();
        await second.StartAsync();
        await using var gateway = await GatewayServer.StartAsync(database, clusterId);
        var client = new RegistrationService.RegistrationServiceClient(gateway.As(Roles.RetailTerminal));
        Assert.Equal(2L, await database.ScalarAsync<long>("SELECT count(*) FROM orleansmembershiptable WHERE deploymentid = @c AND status = 3", ("c", clusterId)));

        // Enough numbers that grains land on both silos.
        var phones = Enumerable.Range(0, 12).Select(_ => Requests.NewPhoneNumber()).ToList();
        foreach (var phone in phones)
        {
            await client.RegisterSubscriberAsync(Requests.Register(phone));
        }

        await first.StopAsync();

        foreach (var phone in phones)
        {
            var response = await Eventually.Get(
                () => client.GetSubscriberAsync(new GetSubscriberRequest { PhoneNumber = phone }).ResponseAsync,
                _ => true,
                TimeSpan.FromSeconds(60),
                $"reading {phone} from the remaining silo");
            Assert.Equal(SubscriberStatus.Active, response.Subscriber.Status);
        }

        Assert.Equal(1L, await database.ScalarAsync<long>("SELECT count(*) FROM orleansmembershiptable WHERE deploymentid = @c AND status = 3", ("c", clusterId)));
    }
}
