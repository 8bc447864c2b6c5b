using System.ComponentModel.DataAnnotations;

namespace RealName.Grains.Retention;

/// <summary>How long personal data is kept (domain rule 9), bound from configuration section "Retention".</summary>
public sealed class RetentionOptions
{
    public const string Section = "Retention";

    /// <summary>Records of a number are kept this long after its service ends (cancelled, or registration rejected), then purged.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "36500.00:00:00", ErrorMessage = "Retention:AfterServiceEnd must be between {1} and {2}.")]
    public TimeSpan AfterServiceEnd { get; set; } = TimeSpan.FromDays(730);

    /// <summary>
    /// A refused registration attempt (no number opened) keeps the personal fields of its audit row this long after the
    /// refusal (for fraud investigations: who tried which number where), then they are purged.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "36500.00:00:00", ErrorMessage = "Retention:AfterRefusal must be between {1} and {2}.")]
    public TimeSpan AfterRefusal { get; set; } = TimeSpan.FromDays(730);

    /// <summary>Kept evidence images (Evidence:KeepImages) are deleted this long after the registration's decision (at once, or by a reviewer).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "3650.00:00:00", ErrorMessage = "Retention:EvidenceAfterReview must be between {1} and {2}.")]
    public TimeSpan EvidenceAfterReview { get; set; } = TimeSpan.FromDays(30);
}
