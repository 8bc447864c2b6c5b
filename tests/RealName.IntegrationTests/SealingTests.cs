using Microsoft.Extensions.Options;
using Npgsql;
using RealName.Contracts.V1;
using RealName.IntegrationTests.Infrastructure;
using RealName.Silo;
using RealName.Storage.Sealing;

namespace RealName.IntegrationTests;

/// <summary>Grain state is sealed at rest; a key rotation re-seals it while the grid keeps its data.</summary>
public sealed class SealingTests
{
    [Fact]
    public async Task Grain_state_is_sealed_and_survives_a_key_rotation_and_a_kill_9()
    {
        await using var grid = await GridFixture.StartAsync();
        var client = new RegistrationService.RegistrationServiceClient(grid.Gateway.As(Roles.RetailTerminal));
        var phones = new[] { Requests.NewPhoneNumber(), Requests.NewPhoneNumber() };
        foreach (var phone in phones)
        {
            await client.RegisterSubscriberAsync(Requests.Register(phone, outlet: "SH-SEAL"));
        }

        await using var dataSource = NpgsqlDataSource.Create(grid.Database.ConnectionString);
        var ring = new DataKeyRing(dataSource, Options.Create(new SealingOptions { MasterKey = grid.Database.SealingKey }), TimeProvider.System);
        await ring.LoadAsync(CancellationToken.None);
        var firstKey = ring.Active.Id;
        // Every stored state (subscriber, identity, ...) carries the seal header and names the first key.
        Assert.Equal(0L, await grid.Database.ScalarAsync<long>(
            "SELECT count(*) FROM orleansstorage WHERE payloadbinary IS NOT NULL AND substring(payloadbinary from 1 for 4) <> '\\x524e5331'::bytea"));
        Assert.True(await grid.Database.ScalarAsync<long>("SELECT count(*) FROM orleansstorage WHERE payloadbinary IS NOT NULL") >= 4);

        var progress = new List<RotationProgress>();
        var rotation = new KeyRotation(dataSource, ring, new Sealer(ring));
        var result = await rotation.RotateAsync(TimeSpan.Zero, new SynchronousProgress(progress), CancellationToken.None);

        Assert.NotEqual(firstKey, result.NewKeyId);
        Assert.Equal(1, result.KeysRetired);
        Assert.True(result.ResealedByTable["orleansstorage"] >= 4);
        Assert.Contains(progress, p => p.Table == "orleansstorage" && p.Resealed == p.Total && p.Total > 0);
        Assert.Equal(0L, await rotation.CountStaleAsync("orleansstorage", "payloadbinary", result.NewKeyId, CancellationToken.None));

        // A fresh silo opens what the rotation sealed.
        await grid.Silo.KillAsync();
        await grid.Silo.StartAsync();
        foreach (var phone in phones)
        {
            var read = await Eventually.Get(
                () => client.GetSubscriberAsync(new GetSubscriberRequest { PhoneNumber = phone }).ResponseAsync,
                _ => true,
                TimeSpan.FromSeconds(60),
                "reading a re-sealed subscriber after the restart");
            Assert.Equal(SubscriberStatus.Active, read.Subscriber.Status);
            Assert.Equal("SH-SEAL", read.Subscriber.RegisteredBy.OutletId);
        }
    }

    [Fact]
    public async Task State_stored_before_sealing_existed_is_still_read_and_an_altered_seal_is_refused()
    {
        await using var database = await TestDatabase.CreateAsync();
        RealName.Storage.SchemaMigrator.Migrate(database.ConnectionString, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
        await using var dataSource = NpgsqlDataSource.Create(database.ConnectionString);
        var ring = new DataKeyRing(dataSource, Options.Create(new SealingOptions { MasterKey = database.SealingKey }), TimeProvider.System);
        var serializer = new JsonGrainStorageSerializer(new Sealer(ring));
        var state = new Dictionary<string, float[]> { ["Embedding"] = [0.125f, -0.5f] };

        var legacy = serializer.Deserialize<Dictionary<string, float[]>>(BinaryData.FromBytes(JsonGrainStorageSerializer.ToJson(state)));
        var sealedState = serializer.Serialize(state).ToArray();

        Assert.Equal(state["Embedding"], legacy["Embedding"]);
        Assert.True(Sealer.IsSealed(sealedState));
        Assert.DoesNotContain("Embedding", System.Text.Encoding.UTF8.GetString(sealedState), StringComparison.Ordinal);
        Assert.Equal(state["Embedding"], serializer.Deserialize<Dictionary<string, float[]>>(BinaryData.FromBytes(sealedState))["Embedding"]);
        sealedState[^1] ^= 1;
        Assert.Throws<SealedDataException>(() => serializer.Deserialize<Dictionary<string, float[]>>(BinaryData.FromBytes(sealedState)));
    }

    private sealed class SynchronousProgress(List<RotationProgress> seen) : IProgress<RotationProgress>
    {
        public void Report(RotationProgress value) => seen.Add(value);
    }
}
