using System.Security.Cryptography;
using Npgsql;
using RealName.Storage.Reads;

namespace RealName.Storage;

/// <summary>
/// Signs checkpoints of the chain head with the ECDSA P-256 key from <c>AuditCheckpoints:SigningKey</c>
/// (kept outside the database) and stores them in <c>audit_checkpoints</c>, inside the transaction that
/// holds the partition's head lock, so a partition's checkpoints are in seq order and each names the one before it.
/// </summary>
public sealed class AuditCheckpointSigner : IDisposable
{
    private readonly ECDsa key;
    private readonly AuditCheckpointOptions options;
    private readonly TimeProvider clock;

    public AuditCheckpointSigner(AuditCheckpointOptions options, TimeProvider clock)
    {
        this.options = options;
        this.clock = clock;
        key = ECDsa.Create();
        key.ImportPkcs8PrivateKey(Convert.FromBase64String(options.SigningKey), out _);
        if (key.KeySize != 256)
        {
            throw new ArgumentException("AuditCheckpoints:SigningKey must be an ECDSA P-256 key (PKCS#8, base64).", nameof(options));
        }

        KeyId = AuditCheckpoint.KeyIdOf(key.ExportSubjectPublicKeyInfo());
    }

    public string KeyId { get; }

    /// <summary>A signer for the configured key, or null when none is configured; a bad key fails here, naming the setting.</summary>
    public static AuditCheckpointSigner? FromOptions(AuditCheckpointOptions options, TimeProvider clock)
    {
        if (string.IsNullOrWhiteSpace(options.SigningKey))
        {
            return null;
        }

        try
        {
            return new AuditCheckpointSigner(options, clock);
        }
        catch (Exception ex) when (ex is FormatException or CryptographicException or ArgumentException)
        {
            throw new InvalidOperationException($"{AuditCheckpointOptions.Section}:{nameof(AuditCheckpointOptions.SigningKey)} is not a base64 PKCS#8 ECDSA P-256 private key.", ex);
        }
    }

    /// <summary>The seq of a partition's last checkpoint (0 for none); parameter $1 is the partition.</summary>
    internal const string LastCheckpointSql = "SELECT coalesce(max(seq), 0) FROM audit_checkpoints WHERE chain_partition = $1";

    /// <summary>
    /// Signs (seq, hash) of a partition's head when its last checkpoint is <see cref="AuditCheckpointOptions.EveryEvents"/>
    /// events behind (<paramref name="byCount"/>) or, for the periodic call, whenever any event arrived since.
    /// </summary>
    internal async Task<bool> CheckpointIfDueAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, int partition, long seq, byte[] hash, bool byCount, CancellationToken cancellationToken)
    {
        long last;
        await using (var query = new NpgsqlCommand(LastCheckpointSql, connection, transaction) { Parameters = { new() { Value = (short)partition } } })
        {
            last = (long)(await query.ExecuteScalarAsync(cancellationToken))!;
        }

        if (CheckpointIfDue(partition, seq, hash, last, byCount) is not { } insert)
        {
            return false;
        }

        await using var batch = new NpgsqlBatch(connection, transaction) { BatchCommands = { insert } };
        await batch.ExecuteNonQueryAsync(cancellationToken);
        return true;
    }

    /// <summary>
    /// The insert of a signed checkpoint of (seq, hash) when one is due after the partition's checkpoint at
    /// <paramref name="last"/> (read under the head lock), else null; to run in the transaction that holds the lock.
    /// </summary>
    internal NpgsqlBatchCommand? CheckpointIfDue(int partition, long seq, byte[] hash, long last, bool byCount)
    {
        var due = byCount ? IsDueByCount(seq, last) : seq > last;
        if (!due)
        {
            return null;
        }

        var now = clock.GetUtcNow();
        var signedAt = new DateTimeOffset(now.UtcTicks - (now.UtcTicks % 10), TimeSpan.Zero);
        var signature = key.SignData(AuditCheckpoint.Payload(partition, seq, hash, last, signedAt), HashAlgorithmName.SHA256);
        return AuditLog.Command(
            "INSERT INTO audit_checkpoints (chain_partition, seq, hash, previous_seq, signed_at, key_id, signature) VALUES ($1, $2, $3, $4, $5, $6, $7)",
            (short)partition, seq, hash, last, signedAt, KeyId, signature);
    }

    /// <summary>True when the event at <paramref name="seq"/> is <see cref="AuditCheckpointOptions.EveryEvents"/> past the checkpoint at <paramref name="last"/>.</summary>
    internal bool IsDueByCount(long seq, long last) => seq - last >= Math.Max(1, options.EveryEvents);

    public void Dispose() => key.Dispose();
}
