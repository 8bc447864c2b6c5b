namespace RealName.Grains.Identities;

/// <summary>Bound from configuration section "SelfService": the attempt limit of 一证通查 face proofs.</summary>
public sealed class SelfServiceOptions
{
    public const string Section = "SelfService";

    /// <summary>Failed face proofs within <see cref="FailureWindow"/> that lock the identity's self-service.</summary>
    public int MaxFailedProofs { get; set; } = 5;

    /// <summary>How far back failed proofs are counted.</summary>
    public TimeSpan FailureWindow { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How long the identity's self-service stays locked.</summary>
    public TimeSpan LockDuration { get; set; } = TimeSpan.FromMinutes(30);
}
