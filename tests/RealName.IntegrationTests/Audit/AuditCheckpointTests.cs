using Npgsql;
using RealName.Contracts.V1;
using RealName.IntegrationTests.Infrastructure;
using static RealName.IntegrationTests.Infrastructure.Sql;
using RealName.Storage.Reads;

namespace RealName.IntegrationTests.Audit;

/// <summary>
/// Whoever owns the database can disable the triggers, rewrite a row and recompute every later hash, or
/// cut the tail: the chain then checks out on its own, and only the signed checkpoints tell.
/// </summary>
[Collection(AuditCollection.Name)]
public sealed class AuditCheckpointTests(AuditGridFixture grid)
{
    private AuditService.AuditServiceClient Auditor => new(grid.Gateway.As(Roles.Auditor));

    [Fact]
    public async Task A_tail_recomputed_by_the_table_owner_is_reported_at_the_first_checkpoint_after_the_change()
    {
        var intact = await Auditor.VerifyAuditChainAsync(new VerifyAuditChainRequest());
        Assert.True(intact.Intact, intact.FirstBreak?.Detail);
        Assert.True(intact.CheckpointSignaturesVerified);
        Assert.True(intact.CheckpointsChecked >= 2, $"{intact.CheckpointsChecked} checkpoints");

        await using var connection = await grid.DataSource.OpenConnectionAsync();
        var target = await Scalar<long>(connection,
            "SELECT seq FROM audit_events WHERE phone_number = @p AND event_type = 'REGISTRATION_DECIDED'", ("p", grid.History.P4));
        var partition = await Scalar<short>(connection, "SELECT chain_partition FROM audit_events WHERE seq = @s", ("s", target));
        var position = await Scalar<long>(connection, "SELECT chain_seq FROM audit_events WHERE seq = @s", ("s", target));
        var tail = new Tail(partition, position);
        // The log's seq of the row the partition's first checkpoint at or after the target names.
        var checkpointRow = await Scalar<long>(connection, """
            SELECT e.seq FROM audit_events e
            WHERE e.chain_partition = @p AND e.chain_seq = (SELECT min(seq) FROM audit_checkpoints WHERE chain_partition = @p AND seq >= @c)
            """, ("p", partition), ("c", position));
        await Execute(connection, "CREATE TEMP TABLE original_tail AS SELECT * FROM audit_events WHERE chain_partition = @p AND chain_seq >= @c", ("p", partition), ("c", position));
        try
        {
            // The refused registration becomes an approval, and its partition's chain is made whole again after it.
            await RewriteTailAsync(connection, tail, e => e with { Decision = "APPROVED", StatusAfter = "ACTIVE" });
            var rewritten = await Auditor.VerifyAuditChainAsync(new VerifyAuditChainRequest { BatchSize = 7 });
            Assert.False(rewritten.Intact);
            Assert.Equal(ChainProblem.CheckpointMismatch, rewritten.FirstBreak.Problem);
            Assert.Equal((checkpointRow, partition), (rewritten.FirstBreak.Seq, (short)rewritten.FirstBreak.Partition));
            Assert.Contains("rewritten", rewritten.FirstBreak.Detail, StringComparison.Ordinal);
            await RestoreAsync(connection, tail);
            Assert.True((await Auditor.VerifyAuditChainAsync(new VerifyAuditChainRequest())).Intact);

            // The partition's tail after the target is cut and its head moved back: the checkpoints past it remain.
            await Locked(connection, tail, async () =>
            {
                await Execute(connection, "ALTER TABLE audit_events DISABLE TRIGGER audit_events_append_only");
                await Execute(connection, "DELETE FROM audit_events WHERE chain_partition = @p AND chain_seq > @c", ("p", partition), ("c", position));
                await Execute(connection, "UPDATE audit_chain_heads SET seq = @c, hash = (SELECT hash FROM audit_events WHERE seq = @s) WHERE chain_partition = @p",
                    ("p", partition), ("c", position), ("s", target));
                await Execute(connection, "ALTER TABLE audit_events ENABLE TRIGGER audit_events_append_only");
            });
            var cut = await Auditor.VerifyAuditChainAsync(new VerifyAuditChainRequest());
            Assert.False(cut.Intact);
            Assert.Equal(ChainProblem.CheckpointMissing, cut.FirstBreak.Problem);
            Assert.Equal(partition, (short)cut.FirstBreak.Partition);
            Assert.Equal(await Scalar<long>(connection, "SELECT min(seq) FROM audit_checkpoints WHERE chain_partition = @p AND seq > @c", ("p", partition), ("c", position)), cut.FirstBreak.Seq);
        }
        finally
        {
            await RestoreAsync(connection, tail);
        }

        Assert.True((await Auditor.VerifyAuditChainAsync(new VerifyAuditChainRequest())).Intact);
    }

    /// <summary>As the owner: change the row at the tail's start and recompute every later hash of its partition and the head, in C#.</summary>
    private static async Task RewriteTailAsync(NpgsqlConnection connection, Tail tail, Func<AuditEvent, AuditEvent> change)
    {
        await Locked(connection, tail, async () =>
        {
            var rows = new List<ChainedAuditEvent>();
            await using (var select = new NpgsqlCommand(
                $"SELECT {AuditRows.Columns} FROM audit_events WHERE chain_partition = @p AND chain_seq >= @c ORDER BY chain_seq", connection))
            {
                select.Parameters.AddWithValue("p", tail.Partition);
                select.Parameters.AddWithValue("c", tail.From);
                await using var reader = await select.ExecuteReaderAsync();
                while (await reader.ReadAsync())
                {
                    rows.Add(AuditRows.Read(reader));
                }
            }

            await Execute(connection, "ALTER TABLE audit_events DISABLE TRIGGER audit_events_append_only");
            var prev = rows[0].PrevHash;
            foreach (var row in rows)
            {
                var e = row.ChainSeq == tail.From ? change(row.Event) : row.Event;
                var hash = AuditChain.ComputeHash(prev, row.ChainSeq, e);
                await Execute(connection, "UPDATE audit_events SET decision = @d, status_after = @st, prev_hash = @p, hash = @h WHERE seq = @s",
                    ("d", (object?)e.Decision ?? DBNull.Value), ("st", (object?)e.StatusAfter ?? DBNull.Value), ("p", prev), ("h", hash), ("s", row.Seq));
                prev = hash;
            }

            await Execute(connection, "UPDATE audit_chain_heads SET hash = @h WHERE chain_partition = @p", ("h", prev), ("p", tail.Partition));
            await Execute(connection, "ALTER TABLE audit_events ENABLE TRIGGER audit_events_append_only");
        });
    }

    private static Task RestoreAsync(NpgsqlConnection connection, Tail tail) => Locked(connection, tail, async () =>
    {
        await Execute(connection, "ALTER TABLE audit_events DISABLE TRIGGER audit_events_append_only");
        await Execute(connection, "DELETE FROM audit_events WHERE seq IN (SELECT seq FROM original_tail)");
        await Execute(connection, "INSERT INTO audit_events SELECT * FROM original_tail");
        await Execute(connection, """
            UPDATE audit_chain_heads SET
                seq = (SELECT max(chain_seq) FROM audit_events WHERE chain_partition = @p),
                hash = (SELECT hash FROM audit_events WHERE chain_partition = @p ORDER BY chain_seq DESC LIMIT 1)
            WHERE chain_partition = @p
            """, ("p", tail.Partition));
        await Execute(connection, "ALTER TABLE audit_events ENABLE TRIGGER audit_events_append_only");
    });

    /// <summary>Runs under the partition's head lock, so the grid appends nothing to it in between.</summary>
    private static async Task Locked(NpgsqlConnection connection, Tail tail, Func<Task> work)
    {
        await using var transaction = await connection.BeginTransactionAsync();
        await Execute(connection, "SELECT 1 FROM audit_chain_heads WHERE chain_partition = @p FOR UPDATE", ("p", tail.Partition));
        await work();
        await transaction.CommitAsync();
    }

    /// <summary>A partition's rows from position <see cref="From"/> on.</summary>
    private sealed record Tail(short Partition, long From);
}
