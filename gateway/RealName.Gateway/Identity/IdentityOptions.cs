namespace RealName.Gateway.Identity;

/// <summary>Bound from configuration section "Identity". The key is a secret: configuration or environment, never the repo.</summary>
public sealed class IdentityOptions
{
    public const string Section = "Identity";

    /// <summary>Base64 HMAC-SHA256 key (at least 32 bytes) that turns document numbers into identity keys.</summary>
    public string HmacKey { get; set; } = "";

    /// <summary>UTC offset of the civil calendar used for birth dates and expiry (China Standard Time).</summary>
    public TimeSpan CalendarUtcOffset { get; set; } = TimeSpan.FromHours(8);

    /// <summary>Today's date in the civil calendar (for age and expiry checks).</summary>
    public DateOnly Today(TimeProvider clock) => DateOnly.FromDateTime(clock.GetUtcNow().ToOffset(CalendarUtcOffset).DateTime);
}
