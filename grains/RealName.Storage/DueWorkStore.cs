using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;
using RealName.Storage.Sealing;

namespace RealName.Storage;

/// <summary>A due row as its sweeper reads it: the grain key opened, the due time exactly as stored.</summary>
public sealed record DueWorkItem(string GrainKey, string Kind, DateTimeOffset DueAt);

/// <summary>
/// The rows of <c>due_work</c> (schema 0111): work a subscriber grain has scheduled for itself. Scheduling is one
/// upsert, cancelling one delete, both by the grain alone; the sweepers only read. The grain key (a phone number)
/// is stored sealed, and found by its keyed digest, never in clear.
/// </summary>
public sealed class DueWorkStore(NpgsqlDataSource dataSource, Sealer sealer, IOptions<SealingOptions> sealing)
{
    /// <summary>
    /// How many sweepers share the rows (a row's partition is its digest's first byte modulo this). Fixed: a change
    /// needs the rows re-partitioned with the statement in 0111_due_work.sql.
    /// </summary>
    public const int Partitions = 16;

    private static readonly byte[] DigestContext = Encoding.ASCII.GetBytes("realname:due-work-digest:v1");

    private readonly byte[] digestKey = DigestKeyOf(sealing.Value.MasterKeyBytes());

    /// <summary>The row key of a grain key: HMAC-SHA256 under a key derived from the master key, so a guessed number cannot be checked against it.</summary>
    public static byte[] Digest(byte[] digestKey, string grainKey) => HMACSHA256.HashData(digestKey, Encoding.UTF8.GetBytes(grainKey));

    /// <summary>The digest key of a master key (for tools and tests that look rows up by number).</summary>
    public static byte[] DigestKeyOf(byte[] masterKey) => HKDF.DeriveKey(HashAlgorithmName.SHA256, masterKey, 32, info: DigestContext);

    public static int PartitionOf(byte[] digest) => digest[0] % Partitions;

    /// <summary>Schedules (or moves) the grain's work of this kind to <paramref name="dueAt"/>.</summary>
    public async Task ScheduleAsync(string grainKey, string kind, DateTimeOffset dueAt, CancellationToken cancellationToken = default)
    {
        var digest = Digest(digestKey, grainKey);
        await using var command = dataSource.CreateCommand(
            "INSERT INTO due_work (key_digest, kind, partition, due_at, grain_key) VALUES ($1, $2, $3, $4, $5) "
            + "ON CONFLICT (key_digest, kind) DO UPDATE SET due_at = EXCLUDED.due_at");
        command.Parameters.Add(new NpgsqlParameter { Value = digest, NpgsqlDbType = NpgsqlDbType.Bytea });
        command.Parameters.Add(new NpgsqlParameter { Value = kind });
        command.Parameters.Add(new NpgsqlParameter { Value = (short)PartitionOf(digest) });
        command.Parameters.Add(new NpgsqlParameter { Value = dueAt.ToUniversalTime() });
        command.Parameters.Add(new NpgsqlParameter { Value = sealer.Seal(Encoding.UTF8.GetBytes(grainKey)), NpgsqlDbType = NpgsqlDbType.Bytea });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Removes the grain's work of this kind (nothing when there is none).</summary>
    public async Task CancelAsync(string grainKey, string kind, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("DELETE FROM due_work WHERE key_digest = $1 AND kind = $2");
        command.Parameters.Add(new NpgsqlParameter { Value = Digest(digestKey, grainKey), NpgsqlDbType = NpgsqlDbType.Bytea });
        command.Parameters.Add(new NpgsqlParameter { Value = kind });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Whether the row a sweeper read is still there unchanged (the grain may have moved or removed it since).</summary>
    public async Task<bool> IsStillDueAsync(string grainKey, string kind, DateTimeOffset dueAt, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("SELECT EXISTS (SELECT 1 FROM due_work WHERE key_digest = $1 AND kind = $2 AND due_at = $3)");
        command.Parameters.Add(new NpgsqlParameter { Value = Digest(digestKey, grainKey), NpgsqlDbType = NpgsqlDbType.Bytea });
        command.Parameters.Add(new NpgsqlParameter { Value = kind });
        command.Parameters.Add(new NpgsqlParameter { Value = dueAt.ToUniversalTime() });
        return (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>Up to <paramref name="limit"/> rows of one partition due at <paramref name="now"/>, oldest first.</summary>
    public async Task<IReadOnlyList<DueWorkItem>> DueAsync(int partition, DateTimeOffset now, int limit, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT grain_key, kind, due_at FROM due_work WHERE partition = $1 AND due_at <= $2 ORDER BY due_at LIMIT $3");
        command.Parameters.Add(new NpgsqlParameter { Value = (short)partition });
        command.Parameters.Add(new NpgsqlParameter { Value = now.ToUniversalTime() });
        command.Parameters.Add(new NpgsqlParameter { Value = limit });
        var due = new List<DueWorkItem>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var grainKey = Encoding.UTF8.GetString(sealer.Open(reader.GetFieldValue<byte[]>(0)));
            due.Add(new DueWorkItem(grainKey, reader.GetString(1), reader.GetFieldValue<DateTimeOffset>(2)));
        }

        return due;
    }
}
