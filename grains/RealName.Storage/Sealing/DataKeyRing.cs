using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Npgsql;

namespace RealName.Storage.Sealing;

/// <summary>
/// The data keys of this database, unwrapped in memory. The newest key that is not retired seals new
/// values; every key opens what it sealed. Keys are loaded at start, looked up again when a value names
/// an unknown key, and refreshed in the background so a rotation reaches every process within
/// <see cref="SealingOptions.KeyRefreshInterval"/>.
/// </summary>
public sealed class DataKeyRing(NpgsqlDataSource dataSource, IOptions<SealingOptions> options, TimeProvider clock)
{
    // Every process of the grid agrees on it: creating the first key is serialised across processes.
    private const long CreateKeyLock = 0x5265_616C_4B65_7973; // "RealKeys"
    private static readonly byte[] WrapContext = Encoding.ASCII.GetBytes("realname:data-key:v1");

    private readonly byte[] master = options.Value.MasterKeyBytes();
    private readonly Lock gate = new();
    private volatile Snapshot? current;
    private long refreshing;

    /// <summary>The key that seals new values.</summary>
    public (Guid Id, byte[] Key) Active
    {
        get
        {
            var snapshot = current ?? LoadBlocking();
            if (clock.GetUtcNow() - snapshot.LoadedAt > options.Value.KeyRefreshInterval && Interlocked.Exchange(ref refreshing, 1) == 0)
            {
                _ = Task.Run(async () =>
                {
                    try
                    {
                        await LoadAsync(CancellationToken.None);
                    }
                    finally
                    {
                        Interlocked.Exchange(ref refreshing, 0);
                    }
                });
            }

            return (snapshot.ActiveId, snapshot.Keys[snapshot.ActiveId]);
        }
    }

    /// <summary>The key with this id (loading the keys again once if it is not known yet).</summary>
    public byte[] Get(Guid keyId)
    {
        if ((current ?? LoadBlocking()).Keys.TryGetValue(keyId, out var key) || LoadBlocking().Keys.TryGetValue(keyId, out key))
        {
            return key;
        }

        throw new SealedDataException($"Data key {keyId} is not in data_keys: the value cannot be opened.");
    }

    /// <summary>Loads the keys, creating the first one if the database has none.</summary>
    public async Task LoadAsync(CancellationToken cancellationToken)
    {
        var snapshot = await ReadAsync(cancellationToken);
        if (snapshot is null)
        {
            await AddKeyAsync(onlyIfNone: true, cancellationToken);
            snapshot = await ReadAsync(cancellationToken) ?? throw new InvalidOperationException("data_keys is still empty after creating a key.");
        }

        current = snapshot;
    }

    /// <summary>Adds a new data key, which becomes the one that seals (rotation). Returns its id.</summary>
    public async Task<Guid> AddKeyAsync(bool onlyIfNone, CancellationToken cancellationToken)
    {
        var id = Guid.CreateVersion7();
        var key = RandomNumberGenerator.GetBytes(32);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var take = new NpgsqlCommand("SELECT pg_advisory_xact_lock($1)", connection, transaction))
        {
            take.Parameters.Add(new NpgsqlParameter { Value = CreateKeyLock });
            await take.ExecuteNonQueryAsync(cancellationToken);
        }

        if (onlyIfNone)
        {
            await using var count = new NpgsqlCommand("SELECT count(*) FROM data_keys WHERE retired_at IS NULL", connection, transaction);
            if ((long)(await count.ExecuteScalarAsync(cancellationToken))! > 0)
            {
                return Guid.Empty;
            }
        }

        await using (var insert = new NpgsqlCommand("INSERT INTO data_keys (key_id, master_key_id, wrapped_key, created_at) VALUES ($1, $2, $3, $4)", connection, transaction))
        {
            insert.Parameters.Add(new NpgsqlParameter { Value = id });
            insert.Parameters.Add(new NpgsqlParameter { Value = options.Value.MasterKeyId });
            insert.Parameters.Add(new NpgsqlParameter { Value = AesGcmBox.Encrypt(master, key, WrapContextFor(id)) });
            insert.Parameters.Add(new NpgsqlParameter { Value = clock.GetUtcNow() });
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return id;
    }

    /// <summary>Marks every key but <paramref name="keep"/> retired: they still open old values, they seal nothing new.</summary>
    public async Task RetireAllExceptAsync(Guid keep, CancellationToken cancellationToken)
    {
        await using var retire = dataSource.CreateCommand("UPDATE data_keys SET retired_at = $2 WHERE key_id <> $1 AND retired_at IS NULL");
        retire.Parameters.Add(new NpgsqlParameter { Value = keep });
        retire.Parameters.Add(new NpgsqlParameter { Value = clock.GetUtcNow() });
        await retire.ExecuteNonQueryAsync(cancellationToken);
        await LoadAsync(cancellationToken);
    }

    private Snapshot LoadBlocking()
    {
        lock (gate)
        {
            Task.Run(() => LoadAsync(CancellationToken.None)).GetAwaiter().GetResult();
            return current!;
        }
    }

    private async Task<Snapshot?> ReadAsync(CancellationToken cancellationToken)
    {
        var keys = new Dictionary<Guid, byte[]>();
        Guid? active = null;
        await using var select = dataSource.CreateCommand("SELECT key_id, wrapped_key, retired_at IS NULL FROM data_keys ORDER BY created_at, key_id");
        await using var reader = await select.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var id = reader.GetGuid(0);
            keys[id] = AesGcmBox.Decrypt(master, (byte[])reader[1], WrapContextFor(id));
            if (reader.GetBoolean(2))
            {
                active = id;
            }
        }

        return active is { } newest ? new Snapshot(keys, newest, clock.GetUtcNow()) : null;
    }

    private static byte[] WrapContextFor(Guid id) => [.. WrapContext, .. id.ToByteArray()];

    private sealed record Snapshot(IReadOnlyDictionary<Guid, byte[]> Keys, Guid ActiveId, DateTimeOffset LoadedAt);
}
