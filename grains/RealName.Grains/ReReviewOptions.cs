namespace RealName.Grains;

/// <summary>Dynamic re-review policy (动态复核), bound from configuration section "ReReview".</summary>
public sealed class ReReviewOptions
{
    public const string Section = "ReReview";

    /// <summary>How often every active number is re-verified, whatever else happens.</summary>
    public TimeSpan PeriodicInterval { get; set; } = TimeSpan.FromDays(365);

    /// <summary>Time the holder has to pass a re-review before the number is suspended.</summary>
    public TimeSpan Deadline { get; set; } = TimeSpan.FromHours(24);
}
