using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace RealName.Storage.Reads;

/// <summary>
/// Signed checkpoints of the audit chain, bound from configuration section <c>AuditCheckpoints</c>. The
/// silo signs (it holds <see cref="SigningKey"/>); verifiers need only <see cref="PublicKey"/>. Both keys
/// live outside the database, so whoever controls PostgreSQL, a superuser included, cannot forge one.
/// </summary>
public sealed class AuditCheckpointOptions
{
    public const string Section = "AuditCheckpoints";

    /// <summary>Base64 PKCS#8 ECDSA P-256 private key (a secret: secret store or data/secrets.env). Empty: no checkpoints are written.</summary>
    public string SigningKey { get; set; } = "";

    /// <summary>Base64 SubjectPublicKeyInfo of the signing key. Empty: checkpoint signatures are not verified.</summary>
    public string PublicKey { get; set; } = "";

    /// <summary>A checkpoint at least every this many events.</summary>
    [System.ComponentModel.DataAnnotations.Range(1, 100_000_000, ErrorMessage = "AuditCheckpoints:EveryEvents must be between {1} and {2}.")]
    public int EveryEvents { get; set; } = 1000;

    /// <summary>And at least this often while events arrive (the silo checks on this period).</summary>
    [System.ComponentModel.DataAnnotations.Range(typeof(TimeSpan), "00:00:01", "1.00:00:00", ErrorMessage = "AuditCheckpoints:Interval must be between {1} and {2}.")]
    public TimeSpan Interval { get; set; } = TimeSpan.FromMinutes(5);
}

/// <summary>
/// A signed statement "chain partition <see cref="Partition"/> at position <see cref="Seq"/> ends in
/// <see cref="Hash"/>", linked to the partition's checkpoint before it.
/// </summary>
public sealed record AuditCheckpoint(long Seq, byte[] Hash, long PreviousSeq, DateTimeOffset SignedAt, string KeyId, byte[] Signature, int Partition = 0)
{
    /// <summary>
    /// The signed bytes: a format marker, seq, hash (hex), the previous checkpoint's seq (0 for the first,
    /// so a removed checkpoint is found) and the signing time in microseconds, separated by U+001F. Partition 0
    /// keeps the first format (v1, the one checkpoints had before the chain was partitioned, so they verify);
    /// other partitions sign v2, which names the partition, so a checkpoint cannot be moved to another one.
    /// </summary>
    public static byte[] Payload(int partition, long seq, ReadOnlySpan<byte> hash, long previousSeq, DateTimeOffset signedAt) =>
        Encoding.UTF8.GetBytes(string.Join('\u001F',
            partition == 0 ? "realname-audit-checkpoint/v1" : string.Create(CultureInfo.InvariantCulture, $"realname-audit-checkpoint/v2/{partition}"),
            seq.ToString(CultureInfo.InvariantCulture),
            Convert.ToHexStringLower(hash),
            previousSeq.ToString(CultureInfo.InvariantCulture),
            (signedAt.UtcTicks / 10).ToString(CultureInfo.InvariantCulture)));

    /// <summary>First 16 hex digits of SHA-256 over the public key (SubjectPublicKeyInfo).</summary>
    public static string KeyIdOf(ReadOnlySpan<byte> subjectPublicKeyInfo) =>
        Convert.ToHexStringLower(SHA256.HashData(subjectPublicKeyInfo))[..16];
}

/// <summary>Checks checkpoint signatures with the public key alone (ECDSA P-256, SHA-256, IEEE P1363 signatures).</summary>
public sealed class AuditCheckpointVerifier : IDisposable
{
    private readonly ECDsa key;

    public AuditCheckpointVerifier(string publicKeyBase64)
    {
        var spki = Convert.FromBase64String(publicKeyBase64);
        key = ECDsa.Create();
        key.ImportSubjectPublicKeyInfo(spki, out _);
        KeyId = AuditCheckpoint.KeyIdOf(spki);
    }

    public string KeyId { get; }

    /// <summary>A verifier for the configured public key, or null when none is configured; a bad key fails here, naming the setting.</summary>
    public static AuditCheckpointVerifier? FromOptions(AuditCheckpointOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.PublicKey))
        {
            return null;
        }

        try
        {
            return new AuditCheckpointVerifier(options.PublicKey);
        }
        catch (Exception ex) when (ex is FormatException or CryptographicException)
        {
            throw new InvalidOperationException($"{AuditCheckpointOptions.Section}:{nameof(AuditCheckpointOptions.PublicKey)} is not a base64 SubjectPublicKeyInfo of an ECDSA P-256 key.", ex);
        }
    }

    public bool Verify(AuditCheckpoint checkpoint) =>
        checkpoint.KeyId == KeyId
        && key.VerifyData(AuditCheckpoint.Payload(checkpoint.Partition, checkpoint.Seq, checkpoint.Hash, checkpoint.PreviousSeq, checkpoint.SignedAt), checkpoint.Signature, HashAlgorithmName.SHA256);

    public void Dispose() => key.Dispose();
}
