using Npgsql;
using NpgsqlTypes;

namespace RealName.Storage.Sealing;

/// <summary>Progress of a rotation: rows of one table re-sealed so far, of those that needed it.</summary>
public sealed record RotationProgress(string Table, long Resealed, long Total);

/// <summary>What a rotation did.</summary>
public sealed record RotationResult(Guid NewKeyId, IReadOnlyDictionary<string, long> ResealedByTable, int KeysRetired);

/// <summary>
/// `realname keys rotate`: adds a data key (which every process adopts within the key refresh interval),
/// re-seals every sealed or legacy clear record under it while the grid keeps serving, then retires the
/// older keys. Old keys open old values until the rotation has re-sealed them all. A row the grid wrote in
/// the meantime is skipped by the optimistic check and picked up by the next pass.
/// </summary>
public sealed class KeyRotation(NpgsqlDataSource dataSource, DataKeyRing keys, Sealer sealer)
{
    private const int BatchSize = 500;

    /// <summary>The tables whose column holds sealed values (grain state, evidence images, the 1:N index's templates, the due work's grain keys, pending review cases, campaign targets).</summary>
    private static readonly (string Table, string Column)[] SealedColumns =
    [
        ("orleansstorage", "payloadbinary"),
        ("registration_evidence", "image"),
        ("face_templates", "sealed"),
        ("due_work", "grain_key"),
        ("review_cases", "sealed"),
        ("campaign_targets", "sealed_number"),
    ];

    public async Task<RotationResult> RotateAsync(TimeSpan adoptionWait, IProgress<RotationProgress>? progress, CancellationToken cancellationToken)
    {
        await keys.LoadAsync(cancellationToken);
        var newKey = await keys.AddKeyAsync(onlyIfNone: false, cancellationToken);
        await keys.LoadAsync(cancellationToken);
        // Let every process see the new key, so the grid stops sealing under the old ones.
        await Task.Delay(adoptionWait, cancellationToken);

        var resealed = new Dictionary<string, long>();
        foreach (var (table, column) in SealedColumns)
        {
            var total = await CountStaleAsync(table, column, newKey, cancellationToken);
            long done = 0;
            progress?.Report(new RotationProgress(table, 0, total));
            while (await ResealBatchAsync(table, column, newKey, cancellationToken) is var batch and > 0)
            {
                done += batch;
                progress?.Report(new RotationProgress(table, done, Math.Max(total, done)));
            }

            resealed[table] = done;
        }

        var retired = await CountKeysAsync(cancellationToken) - 1;
        await keys.RetireAllExceptAsync(newKey, cancellationToken);
        return new RotationResult(newKey, resealed, (int)retired);
    }

    /// <summary>Rows of a table not yet sealed under <paramref name="keyId"/>.</summary>
    public async Task<long> CountStaleAsync(string table, string column, Guid keyId, CancellationToken cancellationToken)
    {
        await using var count = dataSource.CreateCommand($"SELECT count(*) FROM {table} WHERE {Stale(column)}");
        count.Parameters.Add(new NpgsqlParameter { Value = keyId.ToByteArray() });
        return (long)(await count.ExecuteScalarAsync(cancellationToken))!;
    }

    private async Task<int> ResealBatchAsync(string table, string column, Guid keyId, CancellationToken cancellationToken)
    {
        var rows = new List<(NpgsqlTid Row, byte[] Value)>();
        await using (var select = dataSource.CreateCommand($"SELECT ctid, {column} FROM {table} WHERE {Stale(column)} LIMIT {BatchSize}"))
        {
            select.Parameters.Add(new NpgsqlParameter { Value = keyId.ToByteArray() });
            await using var reader = await select.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                rows.Add((reader.GetFieldValue<NpgsqlTid>(0), (byte[])reader[1]));
            }
        }

        if (rows.Count == 0)
        {
            return 0;
        }

        await using var batch = dataSource.CreateBatch();
        foreach (var (row, value) in rows)
        {
            var update = new NpgsqlBatchCommand($"UPDATE {table} SET {column} = $1 WHERE ctid = $2 AND {column} = $3");
            update.Parameters.Add(new NpgsqlParameter { Value = sealer.Seal(sealer.Open(value)) });
            update.Parameters.Add(new NpgsqlParameter { Value = row, NpgsqlDbType = NpgsqlDbType.Tid });
            update.Parameters.Add(new NpgsqlParameter { Value = value });
            batch.BatchCommands.Add(update);
        }

        await batch.ExecuteNonQueryAsync(cancellationToken);
        return rows.Count;
    }

    private async Task<long> CountKeysAsync(CancellationToken cancellationToken)
    {
        await using var count = dataSource.CreateCommand("SELECT count(*) FROM data_keys WHERE retired_at IS NULL");
        return (long)(await count.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>Not null, and either without the seal header or sealed under another key ($1: the key id's bytes).</summary>
    private static string Stale(string column) =>
        $"{column} IS NOT NULL AND (substring({column} from 1 for 4) <> '\\x524e5331'::bytea OR substring({column} from 5 for 16) <> $1)";
}
