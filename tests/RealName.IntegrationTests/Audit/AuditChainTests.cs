using Npgsql;
using RealName.Contracts.V1;
using RealName.IntegrationTests.Infrastructure;
using static RealName.IntegrationTests.Infrastructure.Sql;

namespace RealName.IntegrationTests.Audit;

/// <summary>VerifyAuditChain finds exactly the row an owner of the database altered, removed, or a head that lies, in any partition.</summary>
[Collection(AuditCollection.Name)]
public sealed class AuditChainTests(AuditGridFixture grid)
{
    private AuditService.AuditServiceClient Auditor => new(grid.Gateway.As(Roles.Auditor));

    [Fact]
    public async Task Audit_chain_verification_reports_the_first_tampered_row_exactly()
    {
        var intact = await Auditor.VerifyAuditChainAsync(new VerifyAuditChainRequest { BatchSize = 7 });
        Assert.True(intact.Intact, intact.FirstBreak?.Detail);
        Assert.Null(intact.FirstBreak);
        Assert.Equal(intact.HeadSeq, intact.RowsChecked);
        Assert.True(intact.RowsChecked > 1000);
        Assert.True(intact.Partitions > 1, $"{intact.Partitions} partitions hold events");

        await using var connection = await grid.DataSource.OpenConnectionAsync();
        var target = await Scalar<long>(connection,
            "SELECT seq FROM audit_events WHERE phone_number = @p AND event_type = 'REGISTRATION_DECIDED'", ("p", grid.History.P4));
        var partition = await Scalar<short>(connection, "SELECT chain_partition FROM audit_events WHERE seq = @s", ("s", target));
        var position = await Scalar<long>(connection, "SELECT chain_seq FROM audit_events WHERE seq = @s", ("s", target));
        // The row after the target in its partition (not the next seq of the log, which may be another partition's).
        var next = await Scalar<long>(connection,
            "SELECT seq FROM audit_events WHERE chain_partition = @p AND chain_seq = @c", ("p", partition), ("c", position + 1));
        var rowsBefore = await Scalar<long>(connection, "SELECT count(*) FROM audit_events WHERE chain_partition < @p", ("p", partition));

        await Execute(connection, "ALTER TABLE audit_events DISABLE TRIGGER audit_events_append_only");
        try
        {
            // 1. An altered column: the row's own hash no longer matches.
            await Execute(connection, "UPDATE audit_events SET decision = 'APPROVED', status_after = 'ACTIVE' WHERE seq = @s", ("s", target));
            var altered = await Auditor.VerifyAuditChainAsync(new VerifyAuditChainRequest { BatchSize = 7 });
            Assert.False(altered.Intact);
            Assert.Equal((target, partition), (altered.FirstBreak.Seq, (short)altered.FirstBreak.Partition));
            Assert.Equal(ChainProblem.HashMismatch, altered.FirstBreak.Problem);
            Assert.Equal(rowsBefore + position, altered.RowsChecked);
            Assert.Contains("altered", altered.FirstBreak.Detail, StringComparison.Ordinal);
            await Execute(connection, "UPDATE audit_events SET decision = 'REFUSED', status_after = NULL WHERE seq = @s", ("s", target));
            Assert.True((await Auditor.VerifyAuditChainAsync(new VerifyAuditChainRequest())).Intact);

            // The same in every partition that holds events: a changed row is found where it is.
            await using (var pick = new NpgsqlCommand(
                "SELECT DISTINCT ON (chain_partition) seq, chain_partition FROM audit_events ORDER BY chain_partition, chain_seq DESC", connection))
            {
                var rows = new List<(long Seq, short Partition)>();
                await using (var reader = await pick.ExecuteReaderAsync())
                {
                    while (await reader.ReadAsync())
                    {
                        rows.Add((reader.GetInt64(0), reader.GetInt16(1)));
                    }
                }

                Assert.Equal(intact.Partitions, rows.Count);
                foreach (var (seq, inPartition) in rows)
                {
                    await Execute(connection, "UPDATE audit_events SET actor = actor || 'x' WHERE seq = @s", ("s", seq));
                    var changed = await Auditor.VerifyAuditChainAsync(new VerifyAuditChainRequest());
                    await Execute(connection, "UPDATE audit_events SET actor = left(actor, -1) WHERE seq = @s", ("s", seq));
                    Assert.Equal((false, seq, inPartition, ChainProblem.HashMismatch), (changed.Intact, changed.FirstBreak.Seq, (short)changed.FirstBreak.Partition, changed.FirstBreak.Problem));
                }
            }

            Assert.True((await Auditor.VerifyAuditChainAsync(new VerifyAuditChainRequest())).Intact);

            // 2. A removed row: the next row of its partition does not follow.
            await Execute(connection, "CREATE TEMP TABLE removed AS SELECT * FROM audit_events WHERE seq = @s", ("s", target));
            await Execute(connection, "DELETE FROM audit_events WHERE seq = @s", ("s", target));
            var removed = await Auditor.VerifyAuditChainAsync(new VerifyAuditChainRequest { BatchSize = 7 });
            Assert.False(removed.Intact);
            Assert.Equal(next, removed.FirstBreak.Seq);
            Assert.Equal(ChainProblem.SeqGap, removed.FirstBreak.Problem);
            await Execute(connection, "INSERT INTO audit_events SELECT * FROM removed");
            Assert.True((await Auditor.VerifyAuditChainAsync(new VerifyAuditChainRequest())).Intact);

            // 3. A rewritten row whose own hash was recomputed to match: the next row's link breaks.
            var original = grid.History.Events.Single(e => e.PhoneNumber == grid.History.P4 && e.EventType == "REGISTRATION_DECIDED");
            // (hash version 3: the forger copies the stored row's salt and personal digest, which the hash covers.)
            var forged = Storage.Reads.AuditChain.Normalise(original with
            {
                Decision = "APPROVED",
                StatusAfter = "ACTIVE",
                PersonalSalt = await Scalar<string>(connection, "SELECT encode(personal_salt, 'hex') FROM audit_events WHERE seq = @s", ("s", target)),
                PersonalDigest = await Scalar<string>(connection, "SELECT encode(personal_digest, 'hex') FROM audit_events WHERE seq = @s", ("s", target)),
            });
            var prevHash = await Scalar<byte[]>(connection, "SELECT prev_hash FROM audit_events WHERE seq = @s", ("s", target));
            var forgedHash = Storage.Reads.AuditChain.ComputeHash(prevHash, position, forged);
            await Execute(connection, "UPDATE audit_events SET decision = 'APPROVED', status_after = 'ACTIVE', hash = @h WHERE seq = @s", ("s", target), ("h", forgedHash));
            var relinked = await Auditor.VerifyAuditChainAsync(new VerifyAuditChainRequest());
            Assert.False(relinked.Intact);
            Assert.Equal(next, relinked.FirstBreak.Seq);
            Assert.Equal(ChainProblem.PrevHashMismatch, relinked.FirstBreak.Problem);
            await Execute(connection, "UPDATE audit_events e SET decision = r.decision, status_after = r.status_after, hash = r.hash FROM removed r WHERE e.seq = r.seq");
            Assert.True((await Auditor.VerifyAuditChainAsync(new VerifyAuditChainRequest())).Intact);

            // 4. A head that does not name its partition's last row.
            await Execute(connection, "UPDATE audit_chain_heads SET hash = decode(repeat('00', 32), 'hex') WHERE chain_partition = @p", ("p", partition));
            var head = await Auditor.VerifyAuditChainAsync(new VerifyAuditChainRequest());
            Assert.False(head.Intact);
            Assert.Equal(ChainProblem.HeadMismatch, head.FirstBreak.Problem);
            Assert.Equal(partition, (short)head.FirstBreak.Partition);
            Assert.Equal(await Scalar<long>(connection, "SELECT seq FROM audit_chain_heads WHERE chain_partition = @p", ("p", partition)), head.FirstBreak.Seq);
        }
        finally
        {
            await Execute(connection,
                "UPDATE audit_chain_heads h SET hash = (SELECT hash FROM audit_events e WHERE e.chain_partition = h.chain_partition ORDER BY chain_seq DESC LIMIT 1) WHERE chain_partition = @p",
                ("p", partition));
            await Execute(connection, "ALTER TABLE audit_events ENABLE TRIGGER audit_events_append_only");
        }

        Assert.True((await Auditor.VerifyAuditChainAsync(new VerifyAuditChainRequest())).Intact);
    }
}
