using System.ComponentModel.DataAnnotations;

namespace RealName.Rules;

/// <summary>Dynamic re-review policy (动态复核), bound from configuration section "ReReview" and validated at start.</summary>
public sealed class ReReviewOptions
{
    public const string Section = "ReReview";

    /// <summary>How often every active number is re-verified, whatever else happens.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "3650.00:00:00", ErrorMessage = "ReReview:PeriodicInterval must be between {1} and {2}.")]
    public TimeSpan PeriodicInterval { get; set; } = TimeSpan.FromDays(365);

    /// <summary>Time the holder has to pass a re-review before the number is suspended.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "30.00:00:00", ErrorMessage = "ReReview:Deadline must be between {1} and {2}.")]
    public TimeSpan Deadline { get; set; } = TimeSpan.FromHours(24);
}
