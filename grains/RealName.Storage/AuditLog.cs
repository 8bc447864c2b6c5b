using Npgsql;
using NpgsqlTypes;
using RealName.Storage.Reads;

namespace RealName.Storage;

/// <summary>
/// Appends events to the hash-chained audit log (the one writer: only grains call it). Callers append
/// before they acknowledge a change, with an event id derived from the request (<see cref="DeterministicIds"/>),
/// so a retried request never writes the event twice and an acknowledged change always has its event.
/// The chain is split in <see cref="AuditChainOptions.Partitions"/> partitions by subject
/// (<see cref="AuditChainPartitions"/>), each with its own head row (the lock an append takes), so appends
/// about different subjects run side by side. Every <see cref="AuditCheckpointOptions.EveryEvents"/> events
/// of a partition its head is checkpointed and signed.
/// </summary>
public sealed class AuditLog(NpgsqlDataSource dataSource, AuditCheckpointSigner? signer = null, int chainPartitions = 16)
{
    // seq is left to its default (the audit_events_seq sequence), drawn while the partition's head is locked.
    private const string InsertColumns =
        "event_id, occurred_at, event_type, phone_number, identity_key, carrier_id, channel_kind, region, outlet_id, clerk_id, device_id, " +
        "card_type, decision, face_compared, face_decision, face_score, model_version, reasons, actor, status_after, details, prev_hash, hash, caller, hash_version, " +
        "personal_details, personal_salt, personal_digest, chain_partition, chain_seq";

    private readonly int partitions = chainPartitions is >= 1 and <= AuditChainOptions.MaxPartitions
        ? chainPartitions
        : throw new ArgumentOutOfRangeException(nameof(chainPartitions), chainPartitions, $"between 1 and {AuditChainOptions.MaxPartitions}");

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
        var result = "failed";
        try
        {
            var appended = await AppendOnceAsync(auditEvent, cancellationToken);
            result = appended ? "appended" : "already_recorded";
            return appended;
        }
        finally
        {
            StorageMetrics.AuditAppended(started, result);
        }
    }

    private async Task<bool> AppendOnceAsync(AuditEvent auditEvent, CancellationToken cancellationToken)
    {
        auditEvent = Prepare(auditEvent);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);

        if (await IsRecordedAsync(connection, transaction, auditEvent, cancellationToken))
        {
            return false;
        }

        var partition = AuditChainPartitions.Of(auditEvent, partitions);
        var (seq, prevHash) = await LockHeadAsync(connection, transaction, partition, cancellationToken);
        // Another writer may have appended the same event while we waited for the head lock.
        if (await IsRecordedAsync(connection, transaction, auditEvent, cancellationToken))
        {
            return false;
        }

        var next = seq + 1;
        var hash = AuditChain.ComputeHash(prevHash, next, auditEvent);
        await InsertAsync(connection, transaction, partition, next, auditEvent, prevHash, hash, cancellationToken);
        await UpdateHeadAsync(connection, transaction, partition, next, hash, cancellationToken);
        if (signer is not null)
        {
            await signer.CheckpointIfDueAsync(connection, transaction, partition, next, hash, byCount: true, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return true;
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

    /// <summary>True when the event's id is in the log with the same content; throws when its content differs.</summary>
    private static async Task<bool> IsRecordedAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, AuditEvent auditEvent, CancellationToken cancellationToken)
    {
        await using var select = new NpgsqlCommand($"SELECT {AuditRows.Columns} FROM audit_events WHERE event_id = @id", connection, transaction);
        select.Parameters.AddWithValue("id", auditEvent.EventId);
        await using var reader = await select.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return false;
        }

        var stored = AuditRows.Read(reader);
        return SameContent(stored.Event, auditEvent)
            ? true
            : throw new AuditEventConflictException(auditEvent.EventId, stored.Seq, auditEvent.EventType);
    }

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

    private static async Task<(long Seq, byte[] Hash)> LockHeadAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, int partition, CancellationToken cancellationToken)
    {
        await using var head = new NpgsqlCommand("SELECT seq, hash FROM audit_chain_heads WHERE chain_partition = @partition FOR UPDATE", connection, transaction);
        head.Parameters.AddWithValue("partition", (short)partition);
        await using var reader = await head.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            throw new InvalidOperationException($"audit_chain_heads has no row for partition {partition}: the schema migration did not run.");
        }

        return (reader.GetInt64(0), (byte[])reader[1]);
    }

    private static async Task UpdateHeadAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, int partition, long seq, byte[] hash, CancellationToken cancellationToken)
    {
        await using var update = new NpgsqlCommand("UPDATE audit_chain_heads SET seq = @seq, hash = @hash WHERE chain_partition = @partition", connection, transaction);
        update.Parameters.AddWithValue("partition", (short)partition);
        update.Parameters.AddWithValue("seq", seq);
        update.Parameters.AddWithValue("hash", hash);
        await update.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task InsertAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, int partition, long seq, AuditEvent e, byte[] prevHash, byte[] hash, CancellationToken cancellationToken)
    {
        const string sql = $"""
            INSERT INTO audit_events ({InsertColumns})
            VALUES (@event_id, @occurred_at, @event_type, @phone_number, @identity_key, @carrier_id, @channel_kind,
                @region, @outlet_id, @clerk_id, @device_id, @card_type, @decision, @face_compared, @face_decision, @face_score, @model_version,
                @reasons, @actor, @status_after, @details, @prev_hash, @hash, @caller, @hash_version,
                @personal_details, @personal_salt, @personal_digest, @chain_partition, @chain_seq)
            """;
        await using var insert = new NpgsqlCommand(sql, connection, transaction);
        var p = insert.Parameters;
        p.AddWithValue("chain_partition", (short)partition);
        p.AddWithValue("chain_seq", seq);
        p.AddWithValue("event_id", e.EventId);
        p.AddWithValue("occurred_at", e.OccurredAt);
        p.AddWithValue("event_type", e.EventType);
        p.AddWithValue("phone_number", NpgsqlDbType.Text, (object?)e.PhoneNumber ?? DBNull.Value);
        p.AddWithValue("identity_key", NpgsqlDbType.Text, (object?)e.IdentityKey ?? DBNull.Value);
        p.AddWithValue("carrier_id", NpgsqlDbType.Text, (object?)e.CarrierId ?? DBNull.Value);
        p.AddWithValue("channel_kind", NpgsqlDbType.Text, (object?)e.ChannelKind ?? DBNull.Value);
        p.AddWithValue("region", NpgsqlDbType.Text, (object?)e.Region ?? DBNull.Value);
        p.AddWithValue("outlet_id", NpgsqlDbType.Text, (object?)e.OutletId ?? DBNull.Value);
        p.AddWithValue("clerk_id", NpgsqlDbType.Text, (object?)e.ClerkId ?? DBNull.Value);
        p.AddWithValue("device_id", NpgsqlDbType.Text, (object?)e.DeviceId ?? DBNull.Value);
        p.AddWithValue("card_type", NpgsqlDbType.Text, (object?)e.CardType ?? DBNull.Value);
        p.AddWithValue("decision", NpgsqlDbType.Text, (object?)e.Decision ?? DBNull.Value);
        p.AddWithValue("face_compared", e.FaceCompared);
        p.AddWithValue("face_decision", NpgsqlDbType.Text, (object?)e.FaceDecision ?? DBNull.Value);
        p.AddWithValue("face_score", NpgsqlDbType.Double, (object?)e.FaceScore ?? DBNull.Value);
        p.AddWithValue("model_version", NpgsqlDbType.Text, (object?)e.ModelVersion ?? DBNull.Value);
        p.AddWithValue("reasons", e.Reasons.ToArray());
        p.AddWithValue("actor", e.Actor);
        p.AddWithValue("status_after", NpgsqlDbType.Text, (object?)e.StatusAfter ?? DBNull.Value);
        p.AddWithValue("details", NpgsqlDbType.Text, (object?)e.Details ?? DBNull.Value);
        p.AddWithValue("prev_hash", prevHash);
        p.AddWithValue("hash", hash);
        p.AddWithValue("caller", NpgsqlDbType.Text, (object?)e.Caller ?? DBNull.Value);
        p.AddWithValue("hash_version", (short)e.HashVersion);
        p.AddWithValue("personal_details", NpgsqlDbType.Text, (object?)e.PersonalDetails ?? DBNull.Value);
        p.AddWithValue("personal_salt", NpgsqlDbType.Bytea, e.PersonalSalt is { } salt ? Convert.FromHexString(salt) : (object)DBNull.Value);
        p.AddWithValue("personal_digest", NpgsqlDbType.Bytea, e.PersonalDigest is { } digest ? Convert.FromHexString(digest) : (object)DBNull.Value);
        await insert.ExecuteNonQueryAsync(cancellationToken);
    }

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
