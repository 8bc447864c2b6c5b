using System.ComponentModel.DataAnnotations;

namespace RealName.Rules;

/// <summary>
/// Policy numbers of the real-name rules, bound from configuration section "Rules" and validated at start.
/// Defaults are the domain's (../shared/docs/domain.md).
/// </summary>
public sealed class RuleOptions
{
    public const string Section = "Rules";

    /// <summary>一证五号: active (or pending) personal numbers one identity may hold at one carrier/MVNO.</summary>
    [Range(1, 100, ErrorMessage = "Rules:MaxNumbersPerCarrier must be between {1} and {2}.")]
    public int MaxNumbersPerCarrier { get; set; } = 5;

    /// <summary>Below this age a registration needs a guardian.</summary>
    [Range(1, 30, ErrorMessage = "Rules:MinorAgeYears must be between {1} and {2}.")]
    public int MinorAgeYears { get; set; } = 16;

    /// <summary>A guardian must be at least this old.</summary>
    [Range(1, 30, ErrorMessage = "Rules:AdultAgeYears must be between {1} and {2}.")]
    public int AdultAgeYears { get; set; } = 18;

    /// <summary>Online channels must present a passed liveness attestation from the channel SDK.</summary>
    public bool OnlineRequiresLiveness { get; set; } = true;

    /// <summary>Lowest liveness score accepted from the channel SDK.</summary>
    [Range(0.0, 1.0, ErrorMessage = "Rules:MinLivenessScore must be between {1} and {2}.")]
    public double MinLivenessScore { get; set; } = 0.9;

    /// <summary>An IoT card with general (non-directional) data above this monthly volume needs personal real-name registration.</summary>
    [Range(0, 1_000_000, ErrorMessage = "Rules:IotGeneralDataThresholdMb must be between {1} and {2}.")]
    public int IotGeneralDataThresholdMb { get; set; } = 100;

    /// <summary>When an identity reaches this many numbers over all carriers, its other numbers are re-reviewed (MANY_CARDS).</summary>
    [Range(2, 1000, ErrorMessage = "Rules:ManyCardsThreshold must be between {1} and {2}.")]
    public int ManyCardsThreshold { get; set; } = 8;

    /// <summary>An unconfirmed quota reservation (a registration that crashed mid-way) stops counting after this.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00", ErrorMessage = "Rules:ReservationTimeout must be between {1} and {2}.")]
    public TimeSpan ReservationTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How many idempotency keys a number remembers (each with its outcome, stored with the grain state; retries come within minutes).</summary>
    [Range(1, 1000, ErrorMessage = "Rules:RememberedRequests must be between {1} and {2}.")]
    public int RememberedRequests { get; set; } = 8;
}
