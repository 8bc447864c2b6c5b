using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Npgsql;
using NpgsqlTypes;

namespace RealName.Storage;

/// <summary>
/// Appends events to the hash-chained audit log. Callers append before they acknowledge a change, with
/// an event id derived from the request, so a retried request never writes the event twice and an
/// acknowledged change always has its event.
/// </summary>
public sealed class AuditLog(NpgsqlDataSource dataSource)
{
    public static readonly byte[] GenesisHash = new byte[32];

    /// <summary>Appends the event unless an event with the same id exists. Returns false for a duplicate.</summary>
    public async Task<bool> AppendAsync(AuditEvent auditEvent, CancellationToken cancellationToken = default)
    {
        auditEvent = Normalise(auditEvent);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);

        await using (var exists = new NpgsqlCommand("SELECT 1 FROM audit_events WHERE event_id = @id", connection, transaction))
        {
            exists.Parameters.AddWithValue("id", auditEvent.EventId);
            if (await exists.ExecuteScalarAsync(cancellationToken) is not null)
            {
                return false;
            }
        }

        var (seq, prevHash) = await LockHeadAsync(connection, transaction, cancellationToken);
        // Another writer may have appended the same event while we waited for the head lock.
        await using (var exists = new NpgsqlCommand("SELECT 1 FROM audit_events WHERE event_id = @id", connection, transaction))
        {
            exists.Parameters.AddWithValue("id", auditEvent.EventId);
            if (await exists.ExecuteScalarAsync(cancellationToken) is not null)
            {
                return false;
            }
        }

        var next = seq + 1;
        var hash = ComputeHash(prevHash, next, auditEvent);
        await InsertAsync(connection, transaction, next, auditEvent, prevHash, hash, cancellationToken);
        await UpdateHeadAsync(connection, transaction, next, hash, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    /// <summary>Appends many events in one transaction (seeding, imports); ids must be new.</summary>
    public async Task AppendBatchAsync(IEnumerable<AuditEvent> events, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var (seq, hash) = await LockHeadAsync(connection, transaction, cancellationToken);

        await using (var importer = await connection.BeginBinaryImportAsync(
            "COPY audit_events (seq, event_id, occurred_at, event_type, phone_number, identity_key, carrier_id, channel_kind, region, outlet_id, clerk_id, device_id, card_type, decision, face_compared, face_decision, face_score, model_version, reasons, actor, status_after, details, prev_hash, hash) FROM STDIN (FORMAT BINARY)",
            cancellationToken))
        {
            foreach (var raw in events)
            {
                var e = Normalise(raw);
                var prev = hash;
                seq++;
                hash = ComputeHash(prev, seq, e);
                await importer.StartRowAsync(cancellationToken);
                await importer.WriteAsync(seq, NpgsqlDbType.Bigint, cancellationToken);
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
            }

            await importer.CompleteAsync(cancellationToken);
        }

        await UpdateHeadAsync(connection, transaction, seq, hash, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>
    /// The canonical form that is hashed: every field in a fixed order, invariant formatting, separated
    /// by the ASCII unit separator. Timestamps are in microseconds, PostgreSQL's precision.
    /// </summary>
    public static string Canonical(long seq, AuditEvent e)
    {
        var fields = new[]
        {
            seq.ToString(CultureInfo.InvariantCulture),
            e.EventId.ToString("D"),
            (e.OccurredAt.UtcTicks / 10).ToString(CultureInfo.InvariantCulture),
            e.EventType,
            e.PhoneNumber, e.IdentityKey, e.CarrierId, e.ChannelKind, e.Region, e.OutletId, e.ClerkId, e.DeviceId,
            e.CardType, e.Decision,
            e.FaceCompared ? "1" : "0",
            e.FaceDecision,
            e.FaceScore?.ToString("R", CultureInfo.InvariantCulture),
            e.ModelVersion,
            string.Join('\u001E', e.Reasons),
            e.Actor, e.StatusAfter, e.Details,
        };
        return string.Join('\u001F', fields.Select(f => f ?? "\u2400"));
    }

    public static byte[] ComputeHash(byte[] prevHash, long seq, AuditEvent e)
    {
        var body = Encoding.UTF8.GetBytes(Canonical(seq, e));
        var buffer = new byte[prevHash.Length + body.Length];
        prevHash.CopyTo(buffer, 0);
        body.CopyTo(buffer, prevHash.Length);
        return SHA256.HashData(buffer);
    }

    /// <summary>Truncates to what PostgreSQL stores, so the hash computed now equals the one recomputed later.</summary>
    public static AuditEvent Normalise(AuditEvent e) =>
        e with { OccurredAt = new DateTimeOffset(e.OccurredAt.UtcTicks - (e.OccurredAt.UtcTicks % 10), TimeSpan.Zero) };

    private static async Task<(long Seq, byte[] Hash)> LockHeadAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        await using var head = new NpgsqlCommand("SELECT seq, hash FROM audit_chain_head WHERE id = 1 FOR UPDATE", connection, transaction);
        await using var reader = await head.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            throw new InvalidOperationException("audit_chain_head is missing: the schema migration did not run.");
        }

        return (reader.GetInt64(0), (byte[])reader[1]);
    }

    private static async Task UpdateHeadAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, long seq, byte[] hash, CancellationToken cancellationToken)
    {
        await using var update = new NpgsqlCommand("UPDATE audit_chain_head SET seq = @seq, hash = @hash WHERE id = 1", connection, transaction);
        update.Parameters.AddWithValue("seq", seq);
        update.Parameters.AddWithValue("hash", hash);
        await update.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task InsertAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, long seq, AuditEvent e, byte[] prevHash, byte[] hash, CancellationToken cancellationToken)
    {
        const string sql = """
            INSERT INTO audit_events (seq, event_id, occurred_at, event_type, phone_number, identity_key, carrier_id, channel_kind,
                region, outlet_id, clerk_id, device_id, card_type, decision, face_compared, face_decision, face_score, model_version,
                reasons, actor, status_after, details, prev_hash, hash)
            VALUES (@seq, @event_id, @occurred_at, @event_type, @phone_number, @identity_key, @carrier_id, @channel_kind,
                @region, @outlet_id, @clerk_id, @device_id, @card_type, @decision, @face_compared, @face_decision, @face_score, @model_version,
                @reasons, @actor, @status_after, @details, @prev_hash, @hash)
            """;
        await using var insert = new NpgsqlCommand(sql, connection, transaction);
        var p = insert.Parameters;
        p.AddWithValue("seq", seq);
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
        await insert.ExecuteNonQueryAsync(cancellationToken);
    }

    private static Task WriteNullable(NpgsqlBinaryImporter importer, string? value, CancellationToken cancellationToken) =>
        value is null ? importer.WriteNullAsync(cancellationToken) : importer.WriteAsync(value, NpgsqlDbType.Text, cancellationToken);
}
