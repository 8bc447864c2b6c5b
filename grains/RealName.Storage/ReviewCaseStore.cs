using Npgsql;
using NpgsqlTypes;
using RealName.Storage.Sealing;

namespace RealName.Storage;

/// <summary>
/// The rows of <c>review_cases</c> (schema 0101): the pending manual-review cases of every shard, one row per case.
/// The payload (the case, serialised by the review shard) is sealed before it is written and opened as it is read.
/// Each operation is one statement, so a case costs one row, never a rewrite of its shard's whole queue.
/// </summary>
public sealed class ReviewCaseStore(NpgsqlDataSource dataSource, Sealer sealer)
{
    /// <summary>Stores a case unless its id is already pending in the shard (a retried enqueue keeps the first).</summary>
    public async Task AddAsync(string shardKey, string caseId, DateTimeOffset createdAt, byte[] payload, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            "INSERT INTO review_cases (shard_key, case_id, created_at, sealed) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING");
        command.Parameters.Add(new NpgsqlParameter { Value = shardKey });
        command.Parameters.Add(new NpgsqlParameter { Value = caseId });
        command.Parameters.Add(new NpgsqlParameter { Value = createdAt.ToUniversalTime(), NpgsqlDbType = NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new NpgsqlParameter { Value = sealer.Seal(payload), NpgsqlDbType = NpgsqlDbType.Bytea });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>The opened payload of a pending case, or null.</summary>
    public async Task<byte[]?> GetAsync(string shardKey, string caseId, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("SELECT sealed FROM review_cases WHERE shard_key = $1 AND case_id = $2");
        command.Parameters.Add(new NpgsqlParameter { Value = shardKey });
        command.Parameters.Add(new NpgsqlParameter { Value = caseId });
        return await command.ExecuteScalarAsync(cancellationToken) is byte[] value ? sealer.Open(value) : null;
    }

    /// <summary>
    /// Opened payloads of a shard's pending cases oldest first (creation time to the microsecond PostgreSQL keeps, then
    /// case id in byte order), strictly after <paramref name="after"/> when one is given, at most <paramref name="limit"/>.
    /// </summary>
    public async Task<IReadOnlyList<byte[]>> ListAsync(
        string shardKey, int limit, (DateTimeOffset CreatedAt, string CaseId)? after, CancellationToken cancellationToken = default)
    {
        // Two texts rather than "$2 IS NULL OR ...": the row comparison stays an index condition.
        await using var command = dataSource.CreateCommand(after is null
            ? "SELECT sealed FROM review_cases WHERE shard_key = $1 ORDER BY created_at, case_id LIMIT $2"
            : "SELECT sealed FROM review_cases WHERE shard_key = $1 AND (created_at, case_id) > ($3, $4) ORDER BY created_at, case_id LIMIT $2");
        command.Parameters.Add(new NpgsqlParameter { Value = shardKey });
        command.Parameters.Add(new NpgsqlParameter { Value = limit });
        if (after is { } position)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = position.CreatedAt.ToUniversalTime(), NpgsqlDbType = NpgsqlDbType.TimestampTz });
            command.Parameters.Add(new NpgsqlParameter { Value = position.CaseId });
        }

        var payloads = new List<byte[]>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            payloads.Add(sealer.Open(reader.GetFieldValue<byte[]>(0)));
        }

        return payloads;
    }

    /// <summary>Whether the case was pending (and now is not).</summary>
    public async Task<bool> RemoveAsync(string shardKey, string caseId, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("DELETE FROM review_cases WHERE shard_key = $1 AND case_id = $2");
        command.Parameters.Add(new NpgsqlParameter { Value = shardKey });
        command.Parameters.Add(new NpgsqlParameter { Value = caseId });
        return await command.ExecuteNonQueryAsync(cancellationToken) > 0;
    }
}
