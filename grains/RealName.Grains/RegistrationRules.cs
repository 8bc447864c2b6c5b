namespace RealName.Grains;

/// <summary>Policy numbers of the real-name rules, bound from configuration section "Rules". Defaults are the domain's.</summary>
public sealed class RegistrationRules
{
    public const string Section = "Rules";

    /// <summary>一证五号: active (or pending) personal numbers one identity may hold at one carrier/MVNO.</summary>
    public int MaxNumbersPerCarrier { get; set; } = 5;

    /// <summary>Below this age a registration needs a guardian.</summary>
    public int MinorAgeYears { get; set; } = 16;

    /// <summary>A guardian must be at least this old.</summary>
    public int AdultAgeYears { get; set; } = 18;

    /// <summary>Online channels must present a passed liveness attestation from the channel SDK.</summary>
    public bool OnlineRequiresLiveness { get; set; } = true;

    /// <summary>Lowest liveness score accepted from the channel SDK.</summary>
    public double MinLivenessScore { get; set; } = 0.9;

    /// <summary>An IoT card with general (non-directional) data above this monthly volume needs personal real-name registration.</summary>
    public int IotGeneralDataThresholdMb { get; set; } = 100;

    /// <summary>When an identity reaches this many numbers over all carriers, its other numbers are re-reviewed (MANY_CARDS).</summary>
    public int ManyCardsThreshold { get; set; } = 8;

    /// <summary>An unconfirmed quota reservation (a registration that crashed mid-way) stops counting after this.</summary>
    public TimeSpan ReservationTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>UTC offset of the civil calendar ages are counted in (China Standard Time).</summary>
    public TimeSpan CalendarUtcOffset { get; set; } = TimeSpan.FromHours(8);

    /// <summary>How many idempotency keys a number remembers (each with its outcome, stored with the grain state; retries come within minutes).</summary>
    public int RememberedRequests { get; set; } = 8;
}
