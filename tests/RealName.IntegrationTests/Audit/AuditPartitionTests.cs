using System.Security.Cryptography;
using Microsoft.Extensions.Logging.Abstractions;
using RealName.IntegrationTests.Infrastructure;
using RealName.Rules;
using RealName.Storage;
using RealName.Storage.Reads;

namespace RealName.IntegrationTests.Audit;

/// <summary>
/// The audit chain in partitions (schema 0110): a database written before keeps verifying as partition 0,
/// and appends about subjects in different partitions do not wait on each other's head lock.
/// </summary>
public sealed class AuditPartitionTests : AuditDatabaseTest
{
    protected override bool MigrateAtStart => false;

    [Fact]
    public async Task Rows_and_checkpoints_written_before_the_chain_was_partitioned_verify_as_partition_zero_which_goes_on_from_them()
    {
        // The database as the release before 0110 left it: one chain, one head row, a v1 checkpoint.
        SchemaMigrator.Migrate(Database.ConnectionString, NullLogger.Instance, before: "0110");
        var keys = TestEnvironment.CheckpointKeys;
        var old = Enumerable.Range(1, 3).Select(i => AuditChain.Normalise(Event($"1380000000{i}") with { Caller = null, HashVersion = 1 })).ToList();
        var hash = AuditChain.GenesisHash.ToArray();
        await using (var connection = await Owner.OpenConnectionAsync())
        {
            for (var i = 0; i < old.Count; i++)
            {
                var prev = hash;
                hash = AuditChain.ComputeHash(prev, i + 1, old[i]);
                await Sql.Execute(connection, """
                    INSERT INTO audit_events (seq, event_id, occurred_at, event_type, phone_number, decision, actor, prev_hash, hash, hash_version)
                    VALUES (@seq, @id, @at, @type, @phone, @decision, @actor, @prev, @hash, 1)
                    """,
                    ("seq", (long)(i + 1)), ("id", old[i].EventId), ("at", old[i].OccurredAt), ("type", old[i].EventType), ("phone", old[i].PhoneNumber!),
                    ("decision", old[i].Decision!), ("actor", old[i].Actor), ("prev", prev), ("hash", hash));
            }

            await Sql.Execute(connection, "UPDATE audit_chain_head SET seq = 3, hash = @hash WHERE id = 1", ("hash", hash));
            using var key = ECDsa.Create();
            key.ImportPkcs8PrivateKey(Convert.FromBase64String(keys.SigningKey), out _);
            var at = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
            await Sql.Execute(connection,
                "INSERT INTO audit_checkpoints (seq, hash, previous_seq, signed_at, key_id, signature) VALUES (3, @hash, 0, @at, @key, @signature)",
                ("hash", hash), ("at", at), ("key", AuditCheckpoint.KeyIdOf(key.ExportSubjectPublicKeyInfo())),
                ("signature", key.SignData(AuditCheckpoint.Payload(0, 3, hash, 0, at), HashAlgorithmName.SHA256)));
        }

        SchemaMigrator.Migrate(Database.ConnectionString, NullLogger.Instance);
        using var verifier = new AuditCheckpointVerifier(keys.PublicKey);
        var reports = new AuditReports(Grid, CivilCalendar.Default, verifier);
        var migrated = await reports.VerifyChainAsync();
        Assert.True(migrated.Intact, migrated.FirstBreak?.Detail);
        Assert.Equal((3L, 3L, 1L, 1), (migrated.RowsChecked, migrated.HeadSeq, migrated.CheckpointsChecked, migrated.Partitions));
        Assert.Equal(["0:1", "0:2", "0:3"], await Column<string>("SELECT chain_partition || ':' || chain_seq FROM audit_events ORDER BY seq"));

        // New events spread over the partitions; one about no subject continues partition 0 from the old head.
        using var signer = new AuditCheckpointSigner(new AuditCheckpointOptions { SigningKey = keys.SigningKey, EveryEvents = 2 }, TimeProvider.System);
        var log = new AuditLog(Grid, signer, chainPartitions: 16);
        var appended = Enumerable.Range(0, 20).Select(i => Event($"139{i:D8}")).Append(Event(null)).ToList();
        foreach (var e in appended)
        {
            Assert.True(await log.AppendAsync(e));
        }

        await log.AppendBatchAsync(Enumerable.Range(20, 10).Select(i => Event($"139{i:D8}")));
        Assert.True(await log.CheckpointAsync());
        var after = await reports.VerifyChainAsync(batchSize: 2);
        Assert.True(after.Intact, after.FirstBreak?.Detail);
        Assert.Equal((34L, 34L), (after.RowsChecked, after.HeadSeq));
        Assert.True(after.Partitions > 1, $"{after.Partitions} partitions");
        Assert.True(after.CheckpointsChecked >= after.Partitions, $"{after.CheckpointsChecked} checkpoints");
        var zero = await Column<long>("SELECT chain_seq FROM audit_events WHERE chain_partition = 0 ORDER BY seq");
        Assert.Equal(Enumerable.Range(1, zero.Count).Select(i => (long)i), zero);
        Assert.True(await Database.ScalarAsync<long>("SELECT chain_seq FROM audit_events WHERE chain_partition = 0 AND event_id = @id", ("id", appended[^1].EventId)) > 3);
        // The log's seq still orders every event as it was appended (reports and exports rely on it).
        Assert.Equal(
            [.. old.Select(e => e.EventId), .. appended.Select(e => e.EventId)],
            (await Column<Guid>("SELECT event_id FROM audit_events ORDER BY seq")).Take(24));
        foreach (var e in appended.Take(20))
        {
            Assert.Equal(AuditChainPartitions.Of(e, 16), await Database.ScalarAsync<short>("SELECT chain_partition FROM audit_events WHERE event_id = @id", ("id", e.EventId)));
        }
    }

    [Fact]
    public async Task An_append_does_not_wait_for_another_partitions_head_lock_but_waits_for_its_own()
    {
        SchemaMigrator.Migrate(Database.ConnectionString, NullLogger.Instance);
        var log = new AuditLog(Grid, chainPartitions: 16);
        var numbers = Enumerable.Range(0, 100).Select(i => $"137{i:D8}").ToList();
        var held = numbers[0];
        var other = numbers.First(n => AuditChainPartitions.Of(Event(n), 16) != AuditChainPartitions.Of(Event(held), 16));
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));

        await using var holder = await Owner.OpenConnectionAsync();
        await using var transaction = await holder.BeginTransactionAsync();
        await Sql.Execute(holder, "SELECT 1 FROM audit_chain_heads WHERE chain_partition = @p FOR UPDATE", ("p", (short)AuditChainPartitions.Of(Event(held), 16)));

        // Another partition's append completes while the lock is held (a wait would end only at the timeout).
        Assert.True(await log.AppendAsync(Event(other), timeout.Token));

        // An append to the held partition waits on the head lock until the holder commits.
        var waiting = log.AppendAsync(Event(held), timeout.Token);
        while (await Database.ScalarAsync<long>(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE '%audit_chain_heads%'") == 0)
        {
            Assert.False(waiting.IsCompleted, "the append to the held partition did not wait for its head");
            await Task.Delay(20, timeout.Token);
        }

        Assert.False(waiting.IsCompleted);
        await transaction.CommitAsync();
        Assert.True(await waiting);
        var verified = await new AuditReports(Grid, CivilCalendar.Default).VerifyChainAsync();
        Assert.True(verified.Intact, verified.FirstBreak?.Detail);
        Assert.Equal((2L, 2), (verified.RowsChecked, verified.Partitions));
    }

    private static AuditEvent Event(string? phoneNumber) => new()
    {
        EventId = Guid.NewGuid(),
        OccurredAt = new DateTimeOffset(2026, 11, 22, 8, 0, 0, TimeSpan.Zero),
        EventType = phoneNumber is null ? "CALLER_ISSUED" : "REGISTRATION_DECIDED",
        PhoneNumber = phoneNumber,
        Decision = phoneNumber is null ? null : "APPROVED",
        Actor = "clerk-1",
        Caller = "local-channel",
    };
}
