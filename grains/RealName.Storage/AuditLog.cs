using Npgsql;
using NpgsqlTypes;
using RealName.Storage.Reads;

namespace RealName.Storage;

/// <summary>
/// Appends events to the hash-chained audit log (the one writer: only grains call it). Callers append
/// before they acknowledge a change, with an event id derived from the request (<see cref="DeterministicIds"/>),
/// so a retried request never writes the event twice and an acknowledged change always has its event.
/// The chain is split in <see cref="AuditChainOptions.Partitions"/> partitions by subject
/// (<see cref="AuditChainPartitions"/>), each with its own head row, so appends about different subjects run
/// side by side. An append moves its partition's head in the statement that inserts its row (AuditLog.KnownHeads.cs),
/// or under the head's row lock when that cannot decide. Every <see cref="AuditCheckpointOptions.EveryEvents"/> events
/// of a partition its head is checkpointed and signed.
/// </summary>
public sealed partial class AuditLog(NpgsqlDataSource dataSource, AuditCheckpointSigner? signer = null, int chainPartitions = 16)
{
    // seq is left to its default (the audit_events_seq sequence), drawn while the partition's head is locked.
    private const string InsertColumns =
        "event_id, occurred_at, event_type, phone_number, identity_key, carrier_id, channel_kind, region, outlet_id, clerk_id, device_id, " +
        "card_type, decision, face_compared, face_decision, face_score, model_version, reasons, actor, status_after, details, prev_hash, hash, caller, hash_version, " +
        "personal_details, personal_salt, personal_digest, chain_partition, chain_seq";

    private static readonly string InsertSql =
        $"INSERT INTO audit_events ({InsertColumns}) VALUES ({string.Join(", ", Enumerable.Range(1, InsertColumns.Split(',').Length).Select(i => "$" + i))})";

    private readonly int partitions = chainPartitions is >= 1 and <= AuditChainOptions.MaxPartitions
        ? chainPartitions
        : throw new ArgumentOutOfRangeException(nameof(chainPartitions), chainPartitions, $"between 1 and {AuditChainOptions.MaxPartitions}");

    /// <summary>The partition this log appends the events about <paramref name="subject"/> (a phone number or identity key) to.</summary>
    public int PartitionOf(string subject) => AuditChainPartitions.OfSubject(subject, partitions);

    /// <summary>
    /// Appends the event, or returns false when the same event (same id, same content) is already in the
    /// log. The same id with different content throws <see cref="AuditEventConflictException"/>: two
    /// different facts must never share an id, and the first one is never silently kept in place of the second.
    /// </summary>
    /// <remarks>
    /// <see cref="AuditEvent.OccurredAt"/> does not take part in "same content": a request retried after a
    /// failure (say, its state write failed after its event was appended) is evaluated afresh at a later
    /// time and reaches the same decision; the event keeps the time it was first recorded.
    /// </remarks>
    public async Task<bool> AppendAsync(AuditEvent auditEvent, CancellationToken cancellationToken = default)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var (result, path) = ("failed", "none");
        try
        {
            (var appended, path) = await AppendOnceAsync(auditEvent, cancellationToken);
            result = appended ? "appended" : "already_recorded";
            return appended;
        }
        finally
        {
            StorageMetrics.AuditAppended(started, result, path);
        }
    }

    /// <summary>
    /// One append per partition at a time in this process: first in one statement at the head this process knows
    /// (<see cref="TryAppendAtKnownHeadAsync"/>), else under the head's lock. Also says which way it went
    /// (<see cref="StorageMetrics.AuditAppended"/>).
    /// </summary>
    private async Task<(bool Appended, string Path)> AppendOnceAsync(AuditEvent auditEvent, CancellationToken cancellationToken)
    {
        auditEvent = Prepare(auditEvent);
        var partition = AuditChainPartitions.Of(auditEvent, partitions);
        var gate = partitionHeads[partition].Gate;
        await gate.WaitAsync(cancellationToken);
        try
        {
            return await TryAppendAtKnownHeadAsync(partition, auditEvent, cancellationToken) is { } path
                ? (true, path)
                : (await AppendLockedAsync(partition, auditEvent, cancellationToken), "locked");
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>
    /// The append in three round trips: (1) BEGIN, lock the partition's head, then look the event up (and the
    /// partition's last checkpoint); (2) insert the row, move the head (and sign a checkpoint when due); (3) COMMIT.
    /// The look-up is a statement after the lock in the same batch, so under READ COMMITTED it sees every append
    /// that committed while this one waited for the head: a concurrent append of the same event is found, not repeated.
    /// </summary>
    private async Task<bool> AppendLockedAsync(int partition, AuditEvent auditEvent, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);

        var head = await LockHeadAndFindAsync(connection, transaction, partition, auditEvent, cancellationToken);
        if (head.Recorded)
        {
            partitionHeads[partition].Known = new KnownHead(head.Seq, head.Hash, head.LastCheckpoint);
            return false;
        }

        var next = head.Seq + 1;
        var hash = AuditChain.ComputeHash(head.Hash, next, auditEvent);
        var lastCheckpoint = head.LastCheckpoint;
        await using (var write = new NpgsqlBatch(connection, transaction))
        {
            write.BatchCommands.Add(InsertCommand(InsertSql, partition, next, auditEvent, head.Hash, hash));
            write.BatchCommands.Add(UpdateHeadCommand(partition, next, hash));
            if (signer?.CheckpointIfDue(partition, next, hash, head.LastCheckpoint, byCount: true) is { } checkpoint)
            {
                write.BatchCommands.Add(checkpoint);
                lastCheckpoint = next;
            }

            await write.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        partitionHeads[partition].Known = new KnownHead(next, hash, lastCheckpoint);
        return true;
    }

    /// <summary>The partition's head (locked), whether the event is already recorded (same content; else it throws) and the last checkpoint's seq.</summary>
    private async Task<(long Seq, byte[] Hash, bool Recorded, long LastCheckpoint)> LockHeadAndFindAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, int partition, AuditEvent auditEvent, CancellationToken cancellationToken)
    {
        await using var batch = new NpgsqlBatch(connection, transaction);
        batch.BatchCommands.Add(Command(LockHeadSql, (short)partition));
        batch.BatchCommands.Add(Command($"SELECT {AuditRows.Columns} FROM audit_events WHERE event_id = $1", auditEvent.EventId));
        AddLastCheckpoint(batch, partition);

        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        var (seq, hash) = await ReadHeadAsync(reader, partition, cancellationToken);
        await reader.NextResultAsync(cancellationToken);
        var recorded = await reader.ReadAsync(cancellationToken) && IsSame(AuditRows.Read(reader), auditEvent);
        return (seq, hash, recorded, await ReadLastCheckpointAsync(reader, cancellationToken));
    }

    /// <summary>When checkpoints are signed, adds the partition's last checkpoint to the batch (read by <see cref="ReadLastCheckpointAsync"/>).</summary>
    private void AddLastCheckpoint(NpgsqlBatch batch, int partition)
    {
        if (signer is not null)
        {
            batch.BatchCommands.Add(Command(AuditCheckpointSigner.LastCheckpointSql, (short)partition));
        }
    }

    /// <summary>The last checkpoint's position from the batch's next result (0 when checkpoints are not signed).</summary>
    private async Task<long> ReadLastCheckpointAsync(NpgsqlDataReader reader, CancellationToken cancellationToken)
    {
        if (signer is null)
        {
            return 0;
        }

        await reader.NextResultAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return reader.GetInt64(0);
    }

    /// <summary>
    /// Appends many events in one transaction (seeding, imports), in the given order; ids must be new. The
    /// heads of the partitions they touch are locked in partition order, so two batches cannot deadlock.
    /// </summary>
    public async Task AppendBatchAsync(IEnumerable<AuditEvent> events, CancellationToken cancellationToken = default)
    {
        var prepared = events.Select(Prepare).Select(e => (Event: e, Partition: AuditChainPartitions.Of(e, partitions))).ToList();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var heads = new SortedDictionary<int, (long Seq, byte[] Hash)>();
        foreach (var partition in prepared.Select(p => p.Partition).Distinct().Order())
        {
            heads[partition] = await LockHeadAsync(connection, transaction, partition, cancellationToken);
        }

        await using (var importer = await connection.BeginBinaryImportAsync($"COPY audit_events ({InsertColumns}) FROM STDIN (FORMAT BINARY)", cancellationToken))
        {
            foreach (var (e, partition) in prepared)
            {
                var (seq, prev) = heads[partition];
                seq++;
                var hash = AuditChain.ComputeHash(prev, seq, e);
                heads[partition] = (seq, hash);
                await importer.StartRowAsync(cancellationToken);
                await importer.WriteAsync(e.EventId, NpgsqlDbType.Uuid, cancellationToken);
                await importer.WriteAsync(e.OccurredAt, NpgsqlDbType.TimestampTz, cancellationToken);
                await importer.WriteAsync(e.EventType, NpgsqlDbType.Text, cancellationToken);
                await WriteNullable(importer, e.PhoneNumber, cancellationToken);
                await WriteNullable(importer, e.IdentityKey, cancellationToken);
                await WriteNullable(importer, e.CarrierId, cancellationToken);
                await WriteNullable(importer, e.ChannelKind, cancellationToken);
                await WriteNullable(importer, e.Region, cancellationToken);
                await WriteNullable(importer, e.OutletId, cancellationToken);
                await WriteNullable(importer, e.ClerkId, cancellationToken);
                await WriteNullable(importer, e.DeviceId, cancellationToken);
                await WriteNullable(importer, e.CardType, cancellationToken);
                await WriteNullable(importer, e.Decision, cancellationToken);
                await importer.WriteAsync(e.FaceCompared, NpgsqlDbType.Boolean, cancellationToken);
                await WriteNullable(importer, e.FaceDecision, cancellationToken);
                if (e.FaceScore is { } score)
                {
                    await importer.WriteAsync(score, NpgsqlDbType.Double, cancellationToken);
                }
                else
                {
                    await importer.WriteNullAsync(cancellationToken);
                }

                await WriteNullable(importer, e.ModelVersion, cancellationToken);
                await importer.WriteAsync(e.Reasons.ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Text, cancellationToken);
                await importer.WriteAsync(e.Actor, NpgsqlDbType.Text, cancellationToken);
                await WriteNullable(importer, e.StatusAfter, cancellationToken);
                await WriteNullable(importer, e.Details, cancellationToken);
                await importer.WriteAsync(prev, NpgsqlDbType.Bytea, cancellationToken);
                await importer.WriteAsync(hash, NpgsqlDbType.Bytea, cancellationToken);
                await WriteNullable(importer, e.Caller, cancellationToken);
                await importer.WriteAsync((short)e.HashVersion, NpgsqlDbType.Smallint, cancellationToken);
                await WriteNullable(importer, e.PersonalDetails, cancellationToken);
                await WriteHex(importer, e.PersonalSalt, cancellationToken);
                await WriteHex(importer, e.PersonalDigest, cancellationToken);
                await importer.WriteAsync((short)partition, NpgsqlDbType.Smallint, cancellationToken);
                await importer.WriteAsync(seq, NpgsqlDbType.Bigint, cancellationToken);
            }

            await importer.CompleteAsync(cancellationToken);
        }

        foreach (var (partition, (seq, hash)) in heads)
        {
            await UpdateHeadAsync(connection, transaction, partition, seq, hash, cancellationToken);
            if (signer is not null)
            {
                await signer.CheckpointIfDueAsync(connection, transaction, partition, seq, hash, byCount: true, cancellationToken);
            }
        }

        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>
    /// Signs the head of every partition where events arrived since its last checkpoint (the periodic half of
    /// "every N events or M minutes"), one partition at a time so appends elsewhere go on. True when any was signed.
    /// </summary>
    public async Task<bool> CheckpointAsync(CancellationToken cancellationToken = default)
    {
        if (signer is null)
        {
            return false;
        }

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var written = new List<int>();
        await using (var query = new NpgsqlCommand("SELECT chain_partition FROM audit_chain_heads WHERE seq > 0 ORDER BY chain_partition", connection))
        await using (var reader = await query.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                written.Add(reader.GetInt16(0));
            }
        }

        var signed = false;
        foreach (var partition in written)
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            var (seq, hash) = await LockHeadAsync(connection, transaction, partition, cancellationToken);
            signed |= await signer.CheckpointIfDueAsync(connection, transaction, partition, seq, hash, byCount: false, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        return signed;
    }

    /// <summary>
    /// Purges the personal fields (number, identity key, personal details) and their salt from the rows of a
    /// number up to <paramref name="through"/> (the end of its service): the rows and their digests stay, so
    /// the chain verifies as before. Rows hashed before version 3 carry their fields in the hash and are kept.
    /// Returns the rows purged now (a repeated purge finds none).
    /// </summary>
    public Task<int> PurgeNumberAsync(string phoneNumber, DateTimeOffset through, CancellationToken cancellationToken = default) =>
        PurgeAsync("phone_number = @subject", phoneNumber, through, cancellationToken);

    /// <summary>
    /// Purges the rows about an identity that name no number (its self-service look-ups) up to <paramref name="through"/>;
    /// rows of its numbers are purged with each number.
    /// </summary>
    public Task<int> PurgeIdentityAsync(string identityKey, DateTimeOffset through, CancellationToken cancellationToken = default) =>
        PurgeAsync("identity_key = @subject AND phone_number IS NULL", identityKey, through, cancellationToken);

    /// <summary>Clears the personal fields of one event (a refused attempt at the end of its retention).</summary>
    public Task<int> PurgeEventAsync(Guid eventId, CancellationToken cancellationToken = default) =>
        PurgeAsync("event_id = CAST(@subject AS uuid)", eventId.ToString("D"), DateTimeOffset.MaxValue, cancellationToken);

    private async Task<int> PurgeAsync(string subjectFilter, string subject, DateTimeOffset through, CancellationToken cancellationToken)
    {
        await using var purge = dataSource.CreateCommand($"""
            UPDATE audit_events SET phone_number = NULL, identity_key = NULL, personal_details = NULL, personal_salt = NULL
            WHERE {subjectFilter} AND hash_version = 3 AND personal_salt IS NOT NULL AND occurred_at <= @through
            """);
        purge.Parameters.AddWithValue("subject", subject);
        purge.Parameters.AddWithValue("through", through);
        return await purge.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Every new event names its caller and is hashed with the current canonical form (personal fields by their salted digest).</summary>
    private static AuditEvent Prepare(AuditEvent e) =>
        string.IsNullOrEmpty(e.Caller)
            ? throw new ArgumentException($"Audit event {e.EventId:D} ({e.EventType}) has no caller.", nameof(e))
            : AuditChain.WithPersonalDigest(AuditChain.Normalise(e with { HashVersion = AuditChain.CurrentVersion }));

    /// <summary>True when the stored row is the event (same content); throws when its content differs.</summary>
    private static bool IsSame(ChainedAuditEvent stored, AuditEvent auditEvent) =>
        SameContent(stored.Event, auditEvent)
            ? true
            : throw new AuditEventConflictException(auditEvent.EventId, stored.Seq, auditEvent.EventType);

    /// <summary>Equal canonical forms at the same position, whatever the time (see <see cref="AppendAsync"/>).</summary>
    private static bool SameContent(AuditEvent stored, AuditEvent incoming)
    {
        var comparable = incoming with
        {
            OccurredAt = stored.OccurredAt,
            HashVersion = stored.HashVersion,
            // Rows written before the caller column cannot say who called; they match on the rest.
            Caller = stored.HashVersion < 2 ? null : incoming.Caller,
        };
        if (stored.HashVersion >= 3)
        {
            // The incoming personal fields under the stored salt; a purged row can only be compared on the rest.
            comparable = stored.PersonalSalt is { } salt
                ? AuditChain.WithPersonalDigest(comparable, salt)
                : comparable with { PersonalDigest = stored.PersonalDigest };
        }

        return AuditChain.Canonical(0, stored) == AuditChain.Canonical(0, comparable);
    }

    private const string ReadHeadSql = "SELECT seq, hash FROM audit_chain_heads WHERE chain_partition = $1";

    private const string LockHeadSql = ReadHeadSql + " FOR UPDATE";

    private static async Task<(long Seq, byte[] Hash)> LockHeadAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, int partition, CancellationToken cancellationToken)
    {
        await using var head = new NpgsqlCommand(LockHeadSql, connection, transaction) { Parameters = { new() { Value = (short)partition } } };
        await using var reader = await head.ExecuteReaderAsync(cancellationToken);
        return await ReadHeadAsync(reader, partition, cancellationToken);
    }

    private static async Task<(long Seq, byte[] Hash)> ReadHeadAsync(NpgsqlDataReader reader, int partition, CancellationToken cancellationToken) =>
        await reader.ReadAsync(cancellationToken)
            ? (reader.GetInt64(0), (byte[])reader[1])
            : throw new InvalidOperationException($"audit_chain_heads has no row for partition {partition}: the schema migration did not run.");

    private static async Task UpdateHeadAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, int partition, long seq, byte[] hash, CancellationToken cancellationToken)
    {
        await using var update = new NpgsqlBatch(connection, transaction) { BatchCommands = { UpdateHeadCommand(partition, seq, hash) } };
        await update.ExecuteNonQueryAsync(cancellationToken);
    }

    private static NpgsqlBatchCommand UpdateHeadCommand(int partition, long seq, byte[] hash) =>
        Command("UPDATE audit_chain_heads SET seq = $2, hash = $3 WHERE chain_partition = $1", (short)partition, seq, hash);

    /// <summary>A batch command with positional parameters ($1, $2, ...).</summary>
    internal static NpgsqlBatchCommand Command(string sql, params object[] values)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }

        return command;
    }

    /// <summary>The row's insert (<paramref name="sql"/>), its parameters ($1-$30) in the order of <see cref="InsertColumns"/>.</summary>
    private static NpgsqlBatchCommand InsertCommand(string sql, int partition, long seq, AuditEvent e, byte[] prevHash, byte[] hash)
    {
        var insert = new NpgsqlBatchCommand(sql);
        var p = insert.Parameters;
        p.Add(new NpgsqlParameter { Value = e.EventId });
        p.Add(new NpgsqlParameter { Value = e.OccurredAt });
        p.Add(new NpgsqlParameter { Value = e.EventType });
        Text(p, e.PhoneNumber);
        Text(p, e.IdentityKey);
        Text(p, e.CarrierId);
        Text(p, e.ChannelKind);
        Text(p, e.Region);
        Text(p, e.OutletId);
        Text(p, e.ClerkId);
        Text(p, e.DeviceId);
        Text(p, e.CardType);
        Text(p, e.Decision);
        p.Add(new NpgsqlParameter { Value = e.FaceCompared });
        Text(p, e.FaceDecision);
        p.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Double, Value = (object?)e.FaceScore ?? DBNull.Value });
        Text(p, e.ModelVersion);
        p.Add(new NpgsqlParameter { Value = e.Reasons.ToArray() });
        p.Add(new NpgsqlParameter { Value = e.Actor });
        Text(p, e.StatusAfter);
        Text(p, e.Details);
        p.Add(new NpgsqlParameter { Value = prevHash });
        p.Add(new NpgsqlParameter { Value = hash });
        Text(p, e.Caller);
        p.Add(new NpgsqlParameter { Value = (short)e.HashVersion });
        Text(p, e.PersonalDetails);
        p.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Bytea, Value = e.PersonalSalt is { } salt ? Convert.FromHexString(salt) : DBNull.Value });
        p.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Bytea, Value = e.PersonalDigest is { } digest ? Convert.FromHexString(digest) : DBNull.Value });
        p.Add(new NpgsqlParameter { Value = (short)partition });
        p.Add(new NpgsqlParameter { Value = seq });
        return insert;
    }

    private static void Text(NpgsqlParameterCollection parameters, string? value) =>
        parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Text, Value = (object?)value ?? DBNull.Value });

    private static Task WriteHex(NpgsqlBinaryImporter importer, string? hex, CancellationToken cancellationToken) =>
        hex is null ? importer.WriteNullAsync(cancellationToken) : importer.WriteAsync(Convert.FromHexString(hex), NpgsqlDbType.Bytea, cancellationToken);

    private static Task WriteNullable(NpgsqlBinaryImporter importer, string? value, CancellationToken cancellationToken) =>
        value is null ? importer.WriteNullAsync(cancellationToken) : importer.WriteAsync(value, NpgsqlDbType.Text, cancellationToken);
}

/// <summary>An event id that is already in the log with different content: two facts must never share an id.</summary>
public sealed class AuditEventConflictException : Exception
{
    public AuditEventConflictException()
    {
    }

    public AuditEventConflictException(string message)
        : base(message)
    {
    }

    public AuditEventConflictException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public AuditEventConflictException(Guid eventId, long storedSeq, string eventType)
        : base($"Audit event {eventId:D} ({eventType}) is already recorded at seq {storedSeq} with different content.")
    {
        EventId = eventId;
        StoredSeq = storedSeq;
    }

    public Guid EventId { get; }

    public long StoredSeq { get; }
}
