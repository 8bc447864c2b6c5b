using System.ComponentModel.DataAnnotations;

namespace RealName.Grains.FraudReports;

/// <summary>How fraud-report cases follow their numbers, bound from configuration section "FraudReports".</summary>
public sealed class FraudReportOptions
{
    public const string Section = "FraudReports";

    /// <summary>A reported number still suspended (failed or missed re-review) this long after its suspension is cancelled (关停).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "3650.00:00:00", ErrorMessage = "FraudReports:CancelAfter must be between {1} and {2}.")]
    public TimeSpan CancelAfter { get; set; } = TimeSpan.FromDays(30);

    /// <summary>
    /// How often an open case looks at its number (its durable reminder's period): a disposition happens at most this
    /// long after it is due. Not below Cluster:Reminders:MinimumReminderPeriod.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00", ErrorMessage = "FraudReports:CheckInterval must be between {1} and {2}.")]
    public TimeSpan CheckInterval { get; set; } = TimeSpan.FromHours(1);
}
