using System.Security.Cryptography;
using System.Text;

namespace RealName.Gateway.Security;

/// <summary>API keys: 32 random bytes (URL-safe base64 with a "rn_" prefix); stored only as SHA-256 of the key text.</summary>
public static class ApiKeys
{
    public static string New() => "rn_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static byte[] Hash(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));

    /// <summary>A certificate thumbprint as stored: SHA-256 hex, upper case, without separators.</summary>
    public static string? NormalizeThumbprint(string? thumbprint)
    {
        var hex = (thumbprint ?? "").Replace(":", "", StringComparison.Ordinal).Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant();
        return hex.Length == 64 && hex.All(Uri.IsHexDigit) ? hex : null;
    }
}
