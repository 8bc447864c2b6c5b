using Npgsql;
using RealName.Contracts.V1;
using RealName.IntegrationTests.Infrastructure;
using static RealName.IntegrationTests.Infrastructure.Sql;

namespace RealName.IntegrationTests.Audit;

/// <summary>VerifyAuditChain finds exactly the row an owner of the database altered, removed, or a head that lies.</summary>
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

        await using var connection = await grid.DataSource.OpenConnectionAsync();
        var target = await Scalar<long>(connection,
            "SELECT seq FROM audit_events WHERE phone_number = @p AND event_type = 'REGISTRATION_DECIDED'", ("p", grid.History.P4));

        // 1. An altered column: the row's own hash no longer matches.
        await Execute(connection, "ALTER TABLE audit_events DISABLE TRIGGER audit_events_append_only");
        try
        {
            await Execute(connection, "UPDATE audit_events SET decision = 'APPROVED', status_after = 'ACTIVE' WHERE seq = @s", ("s", target));
            var altered = await Auditor.VerifyAuditChainAsync(new VerifyAuditChainRequest { BatchSize = 7 });
            Assert.False(altered.Intact);
            Assert.Equal(target, altered.FirstBreak.Seq);
            Assert.Equal(ChainProblem.HashMismatch, altered.FirstBreak.Problem);
            Assert.Equal(target, altered.RowsChecked);
            Assert.Contains("altered", altered.FirstBreak.Detail, StringComparison.Ordinal);
            await Execute(connection, "UPDATE audit_events SET decision = 'REFUSED', status_after = NULL WHERE seq = @s", ("s", target));
            Assert.True((await Auditor.VerifyAuditChainAsync(new VerifyAuditChainRequest())).Intact);

            // 2. A removed row: the next row's seq does not follow.
            await Execute(connection, "CREATE TEMP TABLE removed AS SELECT * FROM audit_events WHERE seq = @s", ("s", target));
            await Execute(connection, "DELETE FROM audit_events WHERE seq = @s", ("s", target));
            var removed = await Auditor.VerifyAuditChainAsync(new VerifyAuditChainRequest { BatchSize = 7 });
            Assert.False(removed.Intact);
            Assert.Equal(target + 1, removed.FirstBreak.Seq);
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
            var forgedHash = Storage.Reads.AuditChain.ComputeHash(prevHash, target, forged);
            await Execute(connection, "UPDATE audit_events SET decision = 'APPROVED', status_after = 'ACTIVE', hash = @h WHERE seq = @s", ("s", target), ("h", forgedHash));
            var relinked = await Auditor.VerifyAuditChainAsync(new VerifyAuditChainRequest());
            Assert.False(relinked.Intact);
            Assert.Equal(target + 1, relinked.FirstBreak.Seq);
            Assert.Equal(ChainProblem.PrevHashMismatch, relinked.FirstBreak.Problem);
            await Execute(connection, "UPDATE audit_events e SET decision = r.decision, status_after = r.status_after, hash = r.hash FROM removed r WHERE e.seq = r.seq");
            Assert.True((await Auditor.VerifyAuditChainAsync(new VerifyAuditChainRequest())).Intact);

            // 4. A head that does not name the last row.
            await Execute(connection, "UPDATE audit_chain_head SET hash = decode(repeat('00', 32), 'hex') WHERE id = 1");
            var head = await Auditor.VerifyAuditChainAsync(new VerifyAuditChainRequest());
            Assert.False(head.Intact);
            Assert.Equal(ChainProblem.HeadMismatch, head.FirstBreak.Problem);
            Assert.Equal(head.HeadSeq, head.FirstBreak.Seq);
        }
        finally
        {
            await Execute(connection, "UPDATE audit_chain_head SET hash = (SELECT hash FROM audit_events ORDER BY seq DESC LIMIT 1) WHERE id = 1");
            await Execute(connection, "ALTER TABLE audit_events ENABLE TRIGGER audit_events_append_only");
        }

        Assert.True((await Auditor.VerifyAuditChainAsync(new VerifyAuditChainRequest())).Intact);
    }
}
