using System.ComponentModel.DataAnnotations;

namespace RealName.Grains.Attempts;

/// <summary>
/// Bound from configuration section "AttemptLimits": registration attempts per identity and per device, counted
/// across all outlets and channels, per rolling minute and day. 0 turns a window off.
/// </summary>
public sealed class AttemptLimitOptions
{
    public const string Section = "AttemptLimits";

    [Range(0, 100_000, ErrorMessage = "AttemptLimits:PerIdentityPerMinute must be between {1} and {2}.")]
    public int PerIdentityPerMinute { get; set; } = 15;

    [Range(0, 1_000_000, ErrorMessage = "AttemptLimits:PerIdentityPerDay must be between {1} and {2}.")]
    public int PerIdentityPerDay { get; set; } = 30;

    /// <summary>A counter's card reader or an app instance serves one customer at a time; a farm's device many.</summary>
    [Range(0, 100_000, ErrorMessage = "AttemptLimits:PerDevicePerMinute must be between {1} and {2}.")]
    public int PerDevicePerMinute { get; set; } = 30;

    [Range(0, 1_000_000, ErrorMessage = "AttemptLimits:PerDevicePerDay must be between {1} and {2}.")]
    public int PerDevicePerDay { get; set; } = 1000;

    public AttemptRate PerIdentity => new(PerIdentityPerMinute, PerIdentityPerDay);

    public AttemptRate PerDevice => new(PerDevicePerMinute, PerDevicePerDay);
}
