using System.ComponentModel.DataAnnotations;

namespace RealName.Rules;

/// <summary>
/// The one civil calendar of the grid (configuration section "Calendar"): birth dates, ages, document
/// expiry and the auditors' day/week/month buckets are all counted in it.
/// </summary>
public sealed class CalendarOptions
{
    public const string Section = "Calendar";

    /// <summary>UTC offset of the civil calendar (China Standard Time, no daylight saving).</summary>
    [Range(typeof(TimeSpan), "-14:00:00", "14:00:00", ErrorMessage = "Calendar:UtcOffset must be between {1} and {2}.")]
    public TimeSpan UtcOffset { get; set; } = TimeSpan.FromHours(8);
}
