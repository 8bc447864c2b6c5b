using Npgsql;
using RealName.Storage.Reads;

namespace RealName.Storage.Callers;

/// <summary>What a write to the callers table did.</summary>
public enum CallerWrite
{
    Done,
    NameTaken,
    NotFound,
    AlreadyRevoked,
    ThumbprintTaken,
}

/// <summary>
/// The write side of the callers, used only by the caller grain (which also records each change in the
/// audit log). Every write is idempotent for the same content, so a retried grain call repeats safely.
/// </summary>
public sealed class CallerStore(NpgsqlDataSource dataSource)
{
    /// <summary>Inserts a caller; the same name with the same key hash again is a replay (Done), another key NameTaken.</summary>
    public async Task<CallerWrite> InsertAsync(CallerRow caller, byte[] keyHash, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("""
            INSERT INTO callers (name, role, carrier_ids, outlet_ids, channel_kind, device_ids, key_hash, created_at, created_by)
            VALUES (@name, @role, @carriers, @outlets, @kind, @devices, @hash, @at, @by)
            ON CONFLICT DO NOTHING
            """);
        command.Parameters.AddWithValue("name", caller.Name);
        command.Parameters.AddWithValue("role", caller.Role);
        command.Parameters.AddWithValue("carriers", caller.CarrierIds.ToArray());
        command.Parameters.AddWithValue("outlets", caller.OutletIds.ToArray());
        command.Parameters.AddWithValue("kind", (object?)caller.ChannelKind ?? DBNull.Value);
        command.Parameters.AddWithValue("devices", caller.DeviceIds.ToArray());
        command.Parameters.AddWithValue("hash", keyHash);
        command.Parameters.AddWithValue("at", caller.CreatedAt);
        command.Parameters.AddWithValue("by", caller.CreatedBy);
        if (await command.ExecuteNonQueryAsync(cancellationToken) == 1)
        {
            return CallerWrite.Done;
        }

        await using var existing = dataSource.CreateCommand("SELECT key_hash = @hash FROM callers WHERE name = @name");
        existing.Parameters.AddWithValue("name", caller.Name);
        existing.Parameters.AddWithValue("hash", keyHash);
        return await existing.ExecuteScalarAsync(cancellationToken) is true ? CallerWrite.Done : CallerWrite.NameTaken;
    }

    /// <summary>Revokes a caller; its certificates stop authenticating with it.</summary>
    public async Task<CallerWrite> RevokeAsync(string name, DateTimeOffset at, string by, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            "UPDATE callers SET revoked_at = @at, revoked_by = @by WHERE name = @name AND revoked_at IS NULL");
        command.Parameters.AddWithValue("name", name);
        command.Parameters.AddWithValue("at", at);
        command.Parameters.AddWithValue("by", by);
        if (await command.ExecuteNonQueryAsync(cancellationToken) == 1)
        {
            return CallerWrite.Done;
        }

        await using var exists = dataSource.CreateCommand("SELECT revoked_at IS NOT NULL FROM callers WHERE name = @name");
        exists.Parameters.AddWithValue("name", name);
        return await exists.ExecuteScalarAsync(cancellationToken) is true ? CallerWrite.AlreadyRevoked : CallerWrite.NotFound;
    }

    /// <summary>Maps a certificate thumbprint to a valid caller; the same mapping again is Done.</summary>
    public async Task<CallerWrite> AttachCertificateAsync(string name, string thumbprint, DateTimeOffset at, string by, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("""
            INSERT INTO caller_certificates (thumbprint, caller_name, attached_at, attached_by)
            SELECT @thumbprint, name, @at, @by FROM callers WHERE name = @name AND revoked_at IS NULL
            ON CONFLICT DO NOTHING
            """);
        command.Parameters.AddWithValue("name", name);
        command.Parameters.AddWithValue("thumbprint", thumbprint);
        command.Parameters.AddWithValue("at", at);
        command.Parameters.AddWithValue("by", by);
        if (await command.ExecuteNonQueryAsync(cancellationToken) == 1)
        {
            return CallerWrite.Done;
        }

        await using var owner = dataSource.CreateCommand("""
            SELECT (SELECT caller_name FROM caller_certificates WHERE thumbprint = @thumbprint),
                   (SELECT revoked_at IS NOT NULL FROM callers WHERE name = @name)
            """);
        owner.Parameters.AddWithValue("name", name);
        owner.Parameters.AddWithValue("thumbprint", thumbprint);
        await using var reader = await owner.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var holder = reader.IsDBNull(0) ? null : reader.GetString(0);
        var revoked = reader.IsDBNull(1) ? (bool?)null : reader.GetBoolean(1);
        return (holder, revoked) switch
        {
            (_, null) => CallerWrite.NotFound,
            (_, true) => CallerWrite.AlreadyRevoked,
            (var h, _) when h == name => CallerWrite.Done,
            _ => CallerWrite.ThumbprintTaken,
        };
    }
}
