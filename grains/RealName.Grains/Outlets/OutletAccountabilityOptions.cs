using System.ComponentModel.DataAnnotations;

namespace RealName.Grains.Outlets;

/// <summary>When an outlet loses its agency (domain rule 8), bound from configuration section "OutletAccountability".</summary>
public sealed class OutletAccountabilityOptions
{
    public const string Section = "OutletAccountability";

    /// <summary>Confirmed fraud reports against numbers an outlet opened, within <see cref="Window"/>, that suspend it.</summary>
    [Range(1, 100_000, ErrorMessage = "OutletAccountability:Threshold must be between {1} and {2}.")]
    public int Threshold { get; set; } = 3;

    /// <summary>The sliding window the confirmed reports are counted in (by the time each was confirmed).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "3650.00:00:00", ErrorMessage = "OutletAccountability:Window must be between {1} and {2}.")]
    public TimeSpan Window { get; set; } = TimeSpan.FromDays(30);

    /// <summary>The automatic re-review campaign covers the outlet's registrations of this long before the suspension.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "3650.00:00:00", ErrorMessage = "OutletAccountability:CampaignLookback must be between {1} and {2}.")]
    public TimeSpan CampaignLookback { get; set; } = TimeSpan.FromDays(180);
}
