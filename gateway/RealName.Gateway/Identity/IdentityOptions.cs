namespace RealName.Gateway.Identity;

/// <summary>Bound from configuration section "Identity". The key is a secret: configuration or environment, never the repo.</summary>
public sealed class IdentityOptions
{
    public const string Section = "Identity";

    /// <summary>Base64 HMAC-SHA256 key (at least 32 bytes) that turns document numbers into identity keys.</summary>
    public string HmacKey { get; set; } = "";
}
