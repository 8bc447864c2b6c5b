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
        var checkpoint = await Scalar<long>(connection, "SELECT min(seq) FROM audit_checkpoints WHERE seq >= @s", ("s", target));
        await Execute(connection, "CREATE TEMP TABLE original_tail AS SELECT * FROM audit_events WHERE seq >= @s", ("s", target));
        try
        {
            // The refused registration becomes an approval, and the chain is made whole again after it.
            await RewriteTailAsync(connection, target, e => e with { Decision = "APPROVED", StatusAfter = "ACTIVE" });
            var rewritten = await Auditor.VerifyAuditChainAsync(new VerifyAuditChainRequest { BatchSize = 7 });
            Assert.False(rewritten.Intact);
            Assert.Equal(ChainProblem.CheckpointMismatch, rewritten.FirstBreak.Problem);
            Assert.Equal(checkpoint, rewritten.FirstBreak.Seq);
            Assert.Contains("rewritten", rewritten.FirstBreak.Detail, StringComparison.Ordinal);
            await RestoreAsync(connection);
            Assert.True((await Auditor.VerifyAuditChainAsync(new VerifyAuditChainRequest())).Intact);

            // The tail after the target is cut and the head moved back: the checkpoints past it remain.
            await Locked(connection, async () =>
            {
                await Execute(connection, "ALTER TABLE audit_events DISABLE TRIGGER audit_events_append_only");
                await Execute(connection, "DELETE FROM audit_events WHERE seq > @s", ("s", target));
                await Execute(connection, "UPDATE audit_chain_head SET seq = @s, hash = (SELECT hash FROM audit_events WHERE seq = @s) WHERE id = 1", ("s", target));
                await Execute(connection, "ALTER TABLE audit_events ENABLE TRIGGER audit_events_append_only");
            });
            var cut = await Auditor.VerifyAuditChainAsync(new VerifyAuditChainRequest());
            Assert.False(cut.Intact);
            Assert.Equal(ChainProblem.CheckpointMissing, cut.FirstBreak.Problem);
            Assert.Equal(await Scalar<long>(connection, "SELECT min(seq) FROM audit_checkpoints WHERE seq > @s", ("s", target)), cut.FirstBreak.Seq);
        }
        finally
        {
            await RestoreAsync(connection);
        }

        Assert.True((await Auditor.VerifyAuditChainAsync(new VerifyAuditChainRequest())).Intact);
    }

    /// <summary>As the owner: change the row at <paramref name="from"/> and recompute every later hash and the head, in C#.</summary>
    private static async Task RewriteTailAsync(NpgsqlConnection connection, long from, Func<AuditEvent, AuditEvent> change)
    {
        await Locked(connection, async () =>
        {
            var rows = new List<ChainedAuditEvent>();
            await using (var select = new NpgsqlCommand($"SELECT {AuditRows.Columns} FROM audit_events WHERE seq >= @s ORDER BY seq", connection))
            {
                select.Parameters.AddWithValue("s", from);
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
                var e = row.Seq == from ? change(row.Event) : row.Event;
                var hash = AuditChain.ComputeHash(prev, row.Seq, e);
                await Execute(connection, "UPDATE audit_events SET decision = @d, status_after = @st, prev_hash = @p, hash = @h WHERE seq = @s",
                    ("d", (object?)e.Decision ?? DBNull.Value), ("st", (object?)e.StatusAfter ?? DBNull.Value), ("p", prev), ("h", hash), ("s", row.Seq));
                prev = hash;
            }

            await Execute(connection, "UPDATE audit_chain_head SET hash = @h WHERE id = 1", ("h", prev));
            await Execute(connection, "ALTER TABLE audit_events ENABLE TRIGGER audit_events_append_only");
        });
    }

    private static Task RestoreAsync(NpgsqlConnection connection) => Locked(connection, async () =>
    {
        await Execute(connection, "ALTER TABLE audit_events DISABLE TRIGGER audit_events_append_only");
        await Execute(connection, "DELETE FROM audit_events WHERE seq IN (SELECT seq FROM original_tail)");
        await Execute(connection, "INSERT INTO audit_events SELECT * FROM original_tail");
        await Execute(connection, "UPDATE audit_chain_head SET seq = (SELECT max(seq) FROM audit_events), hash = (SELECT hash FROM audit_events ORDER BY seq DESC LIMIT 1) WHERE id = 1");
        await Execute(connection, "ALTER TABLE audit_events ENABLE TRIGGER audit_events_append_only");
    });

    /// <summary>Runs under the head lock, so the grid appends nothing in between.</summary>
    private static async Task Locked(NpgsqlConnection connection, Func<Task> work)
    {
        await using var transaction = await connection.BeginTransactionAsync();
        await Execute(connection, "SELECT 1 FROM audit_chain_head WHERE id = 1 FOR UPDATE");
        await work();
        await transaction.CommitAsync();
    }
}
