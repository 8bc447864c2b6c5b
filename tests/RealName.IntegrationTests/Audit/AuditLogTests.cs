using Npgsql;
using RealName.IntegrationTests.Infrastructure;
using RealName.Rules;
using RealName.Storage;
using RealName.Storage.Reads;

namespace RealName.IntegrationTests.Audit;

/// <summary>
/// The audit log on its own database: hash versions, checkpoints and the grid role's rights. (Event ids
/// seen again are tested through the grains, the log's one writer: Grains/StorageFailureTests.)
/// </summary>
public sealed class AuditLogTests : AuditDatabaseTest
{
    [Fact]
    public async Task The_grid_role_appends_but_cannot_update_delete_truncate_or_disable_triggers_and_truncate_is_blocked_for_the_owner()
    {
        await new AuditLog(Grid).AppendBatchAsync([Event("APPROVED")]);
        Assert.Equal(TestEnvironment.GridRole, await OnGrid(c => Sql.Scalar<string>(c, "SELECT current_user")));
        Assert.False(await OnGrid(c => Sql.Scalar<bool>(c, "SELECT rolsuper FROM pg_roles WHERE rolname = current_user")));

        foreach (var sql in new[]
        {
            "UPDATE audit_events SET decision = 'REFUSED'",
            "DELETE FROM audit_events",
            "TRUNCATE audit_events",
            "ALTER TABLE audit_events DISABLE TRIGGER audit_events_append_only",
            "DELETE FROM audit_checkpoints",
            "TRUNCATE audit_checkpoints",
        })
        {
            var denied = await Assert.ThrowsAsync<PostgresException>(() => OnGrid(c => Sql.Execute(c, sql)));
            Assert.True(denied.SqlState is PostgresErrorCodes.InsufficientPrivilege, $"{sql}: {denied.SqlState} {denied.MessageText}");
        }

        // The owner may truncate by privilege, but the statement trigger refuses it (a superuser must first disable it).
        var truncate = await Assert.ThrowsAsync<PostgresException>(() => AsOwner(c => Sql.Execute(c, "TRUNCATE audit_events")));
        Assert.Contains("append-only", truncate.MessageText, StringComparison.Ordinal);
        Assert.Equal(1L, await Database.ScalarAsync<long>("SELECT count(*) FROM audit_events"));
    }

    [Fact]
    public async Task Rows_hashed_before_the_caller_column_stay_verifiable_and_checkpoints_come_every_n_events()
    {
        // A row as the grid wrote it before schema 0020: canonical form version 1, no caller.
        var old = AuditChain.Normalise(Event("APPROVED") with { Caller = null, HashVersion = 1 });
        var oldHash = AuditChain.ComputeHash(AuditChain.GenesisHash, 1, old);
        await AsOwner(c => Sql.Execute(c, $"INSERT INTO audit_events ({AuditRows.Columns}) SELECT nextval('audit_events_seq'), @id, @at, 'REGISTRATION_DECIDED', @phone, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 'APPROVED', false, NULL, NULL, NULL, '{{}}', 'clerk-1', NULL, NULL, @genesis, @hash, NULL, 1, NULL, NULL, NULL, 0, 1",
            ("id", old.EventId), ("at", old.OccurredAt), ("phone", old.PhoneNumber!), ("genesis", AuditChain.GenesisHash.ToArray()), ("hash", oldHash)));
        await AsOwner(c => Sql.Execute(c, "UPDATE audit_chain_heads SET seq = 1, hash = @hash WHERE chain_partition = 0", ("hash", oldHash)));

        var keys = TestEnvironment.CheckpointKeys;
        using var signer = new AuditCheckpointSigner(new AuditCheckpointOptions { SigningKey = keys.SigningKey, EveryEvents = 3 }, TimeProvider.System);
        // One partition: the old row's chain goes on (AuditPartitionTests covers rows written before partitions).
        var log = new AuditLog(Grid, signer, chainPartitions: 1);
        for (var i = 0; i < 6; i++)
        {
            await log.AppendBatchAsync([Event("APPROVED")]);
        }

        Assert.Equal(new long[] { 3, 6 }, await Column<long>("SELECT seq FROM audit_checkpoints ORDER BY seq"));
        Assert.True(await log.CheckpointAsync());
        Assert.False(await log.CheckpointAsync());
        Assert.Equal(new long[] { 3, 6, 7 }, await Column<long>("SELECT seq FROM audit_checkpoints ORDER BY seq"));

        using var verifier = new AuditCheckpointVerifier(keys.PublicKey);
        var verified = await new AuditReports(Grid, CivilCalendar.Default, verifier).VerifyChainAsync(batchSize: 2);
        Assert.True(verified.Intact, verified.FirstBreak?.Detail);
        Assert.Equal(7, verified.RowsChecked);
        Assert.Equal(3, verified.CheckpointsChecked);
        Assert.Equal(7, verified.LastCheckpointSeq);
        Assert.True(verified.CheckpointSignaturesVerified);
        Assert.Equal(new short[] { 1, 3, 3, 3, 3, 3, 3 }, await Column<short>("SELECT hash_version FROM audit_events ORDER BY seq"));

        // A checkpoint signed by another key does not verify.
        using var stranger = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
        using var otherVerifier = new AuditCheckpointVerifier(Convert.ToBase64String(stranger.ExportSubjectPublicKeyInfo()));
        var forged = await new AuditReports(Grid, CivilCalendar.Default, otherVerifier).VerifyChainAsync();
        Assert.False(forged.Intact);
        Assert.Equal(ChainProblemKind.CheckpointSignatureInvalid, forged.FirstBreak!.Problem);
        Assert.Equal(3, forged.FirstBreak.Seq);
    }

    [Fact]
    public async Task The_grid_may_purge_a_rows_personal_fields_and_nothing_else_and_the_chain_verifies_before_and_after()
    {
        var log = new AuditLog(Grid);
        var personal = Event("APPROVED") with { IdentityKey = "identity-key-1", PersonalDetails = "{\"agent\":\"identity-key-2\"}" };
        await log.AppendBatchAsync([personal, Event("APPROVED") with { PhoneNumber = "13900000002" }]);
        Assert.True((await Verify()).Intact);
        Assert.Equal(new short[] { 3, 3 }, await Column<short>("SELECT hash_version FROM audit_events ORDER BY seq"));

        // The grid may clear exactly the personal fields and the salt; any other change is refused.
        foreach (var sql in new[]
        {
            "UPDATE audit_events SET phone_number = '13900000009' WHERE seq = 1",
            "UPDATE audit_events SET phone_number = NULL WHERE seq = 1",
            "UPDATE audit_events SET phone_number = NULL, identity_key = NULL, personal_details = NULL WHERE seq = 1",
            "UPDATE audit_events SET personal_digest = NULL WHERE seq = 1",
            "UPDATE audit_events SET decision = 'REFUSED', phone_number = NULL, identity_key = NULL, personal_details = NULL, personal_salt = NULL WHERE seq = 1",
        })
        {
            await Assert.ThrowsAsync<PostgresException>(() => OnGrid(c => Sql.Execute(c, sql)));
        }

        Assert.Equal(1, await log.PurgeNumberAsync("13900000001", DateTimeOffset.MaxValue));
        Assert.Equal(0, await log.PurgeNumberAsync("13900000001", DateTimeOffset.MaxValue));
        Assert.Equal("13900000002", Assert.Single(await Column<string>("SELECT phone_number FROM audit_events WHERE phone_number IS NOT NULL")));
        Assert.Equal(0L, await Database.ScalarAsync<long>("SELECT count(*) FROM audit_events WHERE identity_key IS NOT NULL OR personal_details IS NOT NULL"));
        Assert.Equal(2L, await Database.ScalarAsync<long>("SELECT count(*) FROM audit_events WHERE personal_digest IS NOT NULL"));
        var purged = await Verify();
        Assert.True(purged.Intact, purged.FirstBreak?.Detail);
        Assert.Equal(2, purged.RowsChecked);

        // A personal field put back in another's place (trigger disabled by the owner) no longer matches its digest.
        await AsOwner(c => Sql.Execute(c, "ALTER TABLE audit_events DISABLE TRIGGER audit_events_append_only; UPDATE audit_events SET phone_number = '13900000009' WHERE seq = 2; ALTER TABLE audit_events ENABLE TRIGGER audit_events_append_only"));
        var altered = await Verify();
        Assert.False(altered.Intact);
        Assert.Equal((2L, ChainProblemKind.HashMismatch), (altered.FirstBreak!.Seq, altered.FirstBreak.Problem));
    }

    private Task<ChainVerification> Verify() => new AuditReports(Grid, CivilCalendar.Default).VerifyChainAsync();

    private static AuditEvent Event(string decision) => new()
    {
        EventId = Guid.NewGuid(),
        OccurredAt = new DateTimeOffset(2026, 11, 22, 8, 0, 0, TimeSpan.Zero),
        EventType = "REGISTRATION_DECIDED",
        PhoneNumber = "13900000001",
        Decision = decision,
        Actor = "clerk-1",
        Caller = "local-channel",
    };

    private async Task<T> OnGrid<T>(Func<NpgsqlConnection, Task<T>> work)
    {
        await using var connection = await Grid.OpenConnectionAsync();
        return await work(connection);
    }

    private async Task OnGrid(Func<NpgsqlConnection, Task> work)
    {
        await using var connection = await Grid.OpenConnectionAsync();
        await work(connection);
    }

    private async Task AsOwner(Func<NpgsqlConnection, Task> work)
    {
        await using var connection = await Owner.OpenConnectionAsync();
        await work(connection);
    }
}
