using RealName.Gateway.Security;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using RealName.Contracts.V1;
using RealName.Grains.Enterprises;
using RealName.Grains.Reviews;
using RealName.IntegrationTests.Infrastructure;
using RealName.Silo;
using RealName.Storage;
using RealName.Storage.Sealing;

namespace RealName.IntegrationTests.StoredNames;

/// <summary>
/// Rows the ADO.NET grain storage and reminder table held under the code at b718940 (GoldenRows.json, from a
/// real PostgreSQL run) are put into a fresh database before a silo of today's code starts: the states load by
/// their state names and keys, the reminder stored under "subscriber/…" reaches the subscriber grain, and the
/// single review queue's pending case moves to its shard and can still be decided by its old id, and the enterprise's
/// cards move from its state to their rows. Two rows of the code at f898f1e join them: a review shard whose state still
/// holds its pending cases (the old queue's case, handed over before the queue emptied itself, and one more) and the
/// shard directory; the shard's cases move to their rows (schema 0101), once each, and stay listed and decidable.
/// </summary>
public sealed class GoldenRowsTests
{
    private const string LegacyCaseId = "e1a9fa8a1ffc5d1597be701700678d78";

    /// <summary>The second case the golden review shard's state holds.</summary>
    private const string ShardCaseId = "cmcc/310000/5f0c3e9b2d7a4e61a8c1d0b7e2f49a63";

    [Fact]
    public async Task Rows_stored_before_the_names_were_pinned_still_load_remind_and_decide()
    {
        await using var database = await TestDatabase.CreateAsync();
        SchemaMigrator.Migrate(database.ConnectionString, NullLogger.Instance);
        // The periodic reminder is due once the silo has surely started (a tick missed at load waits a period: a year).
        await InsertGoldenRows(database, firstTick: DateTimeOffset.UtcNow.AddSeconds(45));
        var clusterId = "golden-" + Guid.NewGuid().ToString("N")[..8];
        await using var silo = new SiloProcess(database, clusterId, new Dictionary<string, string> { ["Cluster:Reminders:MinimumReminderPeriod"] = "00:00:01" });
        await silo.StartAsync();
        await using var gateway = await GatewayServer.StartAsync(database, clusterId);
        var channel = new RegistrationService.RegistrationServiceClient(gateway.As(Roles.RetailTerminal));
        var reviewer = new ReviewService.ReviewServiceClient(gateway.As(Roles.Reviewer));

        var pending = (await channel.GetSubscriberAsync(new GetSubscriberRequest { PhoneNumber = "13700000001" })).Subscriber;
        var listed = await reviewer.ListPendingReviewsAsync(new ListPendingReviewsRequest { PageSize = 10 });
        var grains = gateway.Services.GetRequiredService<IClusterClient>();
        var shard = await grains.GetGrain<IReviewShardGrain>("cmcc/310000").Get(LegacyCaseId);
        var decided = await reviewer.DecideReviewAsync(new DecideReviewRequest { CaseId = LegacyCaseId, Approve = true, Reason = "SAME_PERSON_CONFIRMED" });
        // The stored reminder reaches the grain by its stored name: the card is an IoT card without a holder, which has no
        // face to re-verify, so the reminder removes itself (see HolderlessReReviewTests) and the card stays active.
        await Eventually.Get(
            () => database.ScalarAsync<long>(
                "SELECT count(*) FROM orleansreminderstable WHERE grainid = 'subscriber/13700000003' AND remindername = 'periodic-re-review'"),
            count => count == 0,
            TimeSpan.FromSeconds(120),
            "the stored periodic re-review reminder firing (and removing itself)");
        var reminded = (await channel.GetSubscriberAsync(new GetSubscriberRequest { PhoneNumber = "13700000003" })).Subscriber;
        // Its work done, it did not become a due row either: nothing to re-verify.
        Assert.Equal(0L, await DueRows.CountAsync(database, "13700000003", "periodic-re-review"));

        Assert.Equal((SubscriberStatus.PendingReview, LegacyCaseId, "SH-001"), (pending.Status, pending.ReviewCaseId, pending.RegisteredBy.OutletId));
        Assert.Equal((CardType.Iot, "913101001001MA1K03"), (reminded.CardType, reminded.Enterprise.CreditCode));
        Assert.Equal(SubscriberStatus.Active, reminded.Status);
        Assert.Equal(["REGISTERED"], reminded.History.Select(h => h.Event));
        Assert.Equal(("13700000001", "SH-001"), (Assert.Single(listed.Cases, c => c.CaseId == LegacyCaseId).PhoneNumber, listed.Cases[0].Channel.OutletId));
        Assert.Equal("13700000001", shard?.PhoneNumber);
        Assert.Equal(SubscriberStatus.Active, decided.Status);
        Assert.Equal([LegacyCaseId, ShardCaseId], listed.Cases.Select(c => c.CaseId));
        Assert.Equal(("13700000002", "SH-002"), (listed.Cases[1].PhoneNumber, listed.Cases[1].Channel.OutletId));
        Assert.Equal([ShardCaseId], (await reviewer.ListPendingReviewsAsync(new ListPendingReviewsRequest { PageSize = 10 })).Cases.Select(c => c.CaseId));
        Assert.Equal(ShardCaseId, await database.ScalarAsync<string>("SELECT string_agg(case_id, ',') FROM review_cases WHERE shard_key = 'cmcc/310000'"));
        Assert.Empty((await StoredState<ReviewShardState>(database, "review-shard", "cmcc/310000")).Pending);
        Assert.Equal("cmcc/310000", await grains.GetGrain<IReviewQueueGrain>(0).ShardOf(LegacyCaseId));

        // The enterprise's card, stored in its state before schema 0100, moved to its row and still counts.
        Assert.Equal(1, await grains.GetGrain<IEnterpriseGrain>("913101001001MA1K03").IotCardsHeld());
        Assert.Equal("13700000003", await database.ScalarAsync<string>("SELECT phone_number FROM enterprise_iot_cards WHERE credit_code = '913101001001MA1K03'"));
    }

    /// <summary>A grain's stored state as the silo reads it (opened and deserialised).</summary>
    private static async Task<T> StoredState<T>(TestDatabase database, string stateName, string key)
    {
        var payload = await database.ScalarAsync<byte[]>(
            "SELECT payloadbinary FROM orleansstorage WHERE graintypestring = @s AND grainidextensionstring = @k", ("s", stateName), ("k", key));
        await using var dataSource = NpgsqlDataSource.Create(database.ConnectionString);
        var ring = new DataKeyRing(dataSource, Options.Create(new SealingOptions { MasterKey = database.SealingKey }), TimeProvider.System);
        await ring.LoadAsync(CancellationToken.None);
        return new JsonGrainStorageSerializer(new Sealer(ring)).Deserialize<T>(BinaryData.FromBytes(payload!));
    }

    private static async Task InsertGoldenRows(TestDatabase database, DateTimeOffset firstTick)
    {
        using var golden = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "StoredNames", "GoldenRows.json")));
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        foreach (var row in golden.RootElement.GetProperty("storage").EnumerateArray())
        {
            await using var insert = new NpgsqlCommand(
                "INSERT INTO orleansstorage (grainidhash, grainidn0, grainidn1, graintypehash, graintypestring, grainidextensionstring, serviceid, payloadbinary, version) " +
                "VALUES (@hash, @n0, @n1, @typeHash, @stateName, @extension, @serviceId, @payload, @version)", connection);
            insert.Parameters.AddWithValue("hash", row.GetProperty("grainIdHash").GetInt32());
            insert.Parameters.AddWithValue("n0", row.GetProperty("n0").GetInt64());
            insert.Parameters.AddWithValue("n1", row.GetProperty("n1").GetInt64());
            insert.Parameters.AddWithValue("typeHash", row.GetProperty("grainTypeHash").GetInt32());
            insert.Parameters.AddWithValue("stateName", row.GetProperty("stateName").GetString()!);
            insert.Parameters.AddWithValue("extension", (object?)row.GetProperty("extension").GetString() ?? DBNull.Value);
            insert.Parameters.AddWithValue("serviceId", row.GetProperty("serviceId").GetString()!);
            insert.Parameters.AddWithValue("payload", Encoding.UTF8.GetBytes(row.GetProperty("payload").GetString()!));
            insert.Parameters.AddWithValue("version", row.GetProperty("version").GetInt32());
            await insert.ExecuteNonQueryAsync();
        }

        foreach (var row in golden.RootElement.GetProperty("reminders").EnumerateArray())
        {
            await using var insert = new NpgsqlCommand(
                "INSERT INTO orleansreminderstable (serviceid, grainid, remindername, starttime, period, grainhash, version) " +
                "VALUES (@serviceId, @grainId, @name, @start, @period, @hash, 0)", connection);
            insert.Parameters.AddWithValue("serviceId", row.GetProperty("serviceId").GetString()!);
            insert.Parameters.AddWithValue("grainId", row.GetProperty("grainId").GetString()!);
            insert.Parameters.AddWithValue("name", row.GetProperty("reminderName").GetString()!);
            insert.Parameters.AddWithValue("start", firstTick);
            insert.Parameters.AddWithValue("period", row.GetProperty("periodMs").GetInt64());
            insert.Parameters.AddWithValue("hash", row.GetProperty("grainHash").GetInt32());
            await insert.ExecuteNonQueryAsync();
        }
    }
}
