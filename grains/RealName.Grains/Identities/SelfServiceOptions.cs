namespace RealName.Grains.Identities;

/// <summary>Bound from configuration section "SelfService": the attempt limit of 一证通查 face proofs.</summary>
public sealed class SelfServiceOptions
{
    public const string Section = "SelfService";

    /// <summary>Failed face proofs within <see cref="FailureWindow"/> that lock the identity's self-service.</summary>
    [System.ComponentModel.DataAnnotations.Range(1, 1000, ErrorMessage = "SelfService:MaxFailedProofs must be between {1} and {2}.")]
    public int MaxFailedProofs { get; set; } = 5;

    /// <summary>How far back failed proofs are counted.</summary>
    [System.ComponentModel.DataAnnotations.Range(typeof(TimeSpan), "00:00:01", "30.00:00:00", ErrorMessage = "SelfService:FailureWindow must be between {1} and {2}.")]
    public TimeSpan FailureWindow { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How long the identity's self-service stays locked.</summary>
    [System.ComponentModel.DataAnnotations.Range(typeof(TimeSpan), "00:00:01", "365.00:00:00", ErrorMessage = "SelfService:LockDuration must be between {1} and {2}.")]
    public TimeSpan LockDuration { get; set; } = TimeSpan.FromMinutes(30);
}
