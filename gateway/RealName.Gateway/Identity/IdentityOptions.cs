using System.ComponentModel.DataAnnotations;

namespace RealName.Gateway.Identity;

/// <summary>
/// Bound from configuration section "Identity". The HMAC keys are secrets: configuration or environment, never the repo.
/// Keys are named by their version (<c>Identity:HmacKeys:2</c>), so entries from two configuration sources merge by
/// version, never by position. <see cref="HmacKey"/> is version 1, the key of grids set up before versioning.
/// </summary>
public sealed class IdentityOptions : IValidatableObject
{
    public const string Section = "Identity";

    /// <summary>Version 1 of the HMAC-SHA256 key (base64, at least 32 bytes): the only key of a grid that never rotated.</summary>
    public string HmacKey { get; set; } = "";

    /// <summary>HMAC keys by version (base64, at least 32 bytes each). Versions other than the current one stay
    /// configured while identities made under them remain (see the README's rotation steps).</summary>
    public Dictionary<int, string> HmacKeys { get; set; } = [];

    /// <summary>The version new identity keys are made with; 0 means the highest configured version.</summary>
    [Range(0, 999)]
    public int CurrentKeyVersion { get; set; }

    /// <summary>Every configured key by version, <see cref="HmacKey"/> as version 1.</summary>
    public IReadOnlyDictionary<int, string> AllKeys()
    {
        var keys = new SortedDictionary<int, string>(HmacKeys.Where(k => !string.IsNullOrWhiteSpace(k.Value)).ToDictionary(k => k.Key, k => k.Value));
        if (!string.IsNullOrWhiteSpace(HmacKey))
        {
            keys.TryAdd(1, HmacKey);
        }

        return keys;
    }

    /// <summary>The version new keys are made with.</summary>
    public int Current() => CurrentKeyVersion > 0 ? CurrentKeyVersion : AllKeys().Keys.DefaultIfEmpty(0).Max();

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        var keys = AllKeys();
        if (keys.Count == 0)
        {
            yield return new ValidationResult(
                "Identity:HmacKey is not set. scripts/run-grid.sh generates one under the data folder; in production set it from your secret store.",
                [nameof(HmacKey)]);
            yield break;
        }

        if (HmacKeys.TryGetValue(1, out var first) && !string.IsNullOrWhiteSpace(HmacKey) && first != HmacKey)
        {
            yield return new ValidationResult("Identity:HmacKey and Identity:HmacKeys:1 are both version 1 and differ.", [nameof(HmacKeys)]);
        }

        foreach (var (version, key) in keys)
        {
            if (version < 1)
            {
                yield return new ValidationResult($"Identity:HmacKeys:{version}: versions start at 1.", [nameof(HmacKeys)]);
            }

            if (!DecodesToEnoughBytes(key))
            {
                yield return new ValidationResult($"Identity key version {version} must be base64 of at least 32 bytes.", [nameof(HmacKeys)]);
            }
        }

        if (!keys.ContainsKey(Current()))
        {
            yield return new ValidationResult($"Identity:CurrentKeyVersion {CurrentKeyVersion} has no key configured.", [nameof(CurrentKeyVersion)]);
        }
    }

    private static bool DecodesToEnoughBytes(string key)
    {
        var buffer = new byte[key.Length];
        return Convert.TryFromBase64String(key, buffer, out var length) && length >= 32;
    }
}
