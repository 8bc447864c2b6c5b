namespace RealName.Storage.Sealing;

/// <summary>
/// The master key of the envelope encryption, bound from configuration section "Sealing". A secret:
/// configuration or secret store, never the repo. It only wraps data keys; losing it loses every sealed record.
/// </summary>
public sealed class SealingOptions
{
    public const string Section = "Sealing";

    /// <summary>Base64 AES-256 key (32 bytes) that wraps the data keys.</summary>
    public string MasterKey { get; set; } = "";

    /// <summary>Name of the master key, recorded with each wrapped data key (to tell which master a backup needs).</summary>
    public string MasterKeyId { get; set; } = "local-1";

    /// <summary>How often a process looks for a newer data key (after `realname keys rotate`).</summary>
    public TimeSpan KeyRefreshInterval { get; set; } = TimeSpan.FromSeconds(10);

    public byte[] MasterKeyBytes()
    {
        if (string.IsNullOrWhiteSpace(MasterKey))
        {
            throw new InvalidOperationException("Sealing:MasterKey is not set. scripts/run-grid.sh generates one under the data folder; in production set it from your secret store.");
        }

        var key = Convert.FromBase64String(MasterKey);
        return key.Length == 32 ? key : throw new InvalidOperationException("Sealing:MasterKey must decode to exactly 32 bytes (AES-256).");
    }
}
