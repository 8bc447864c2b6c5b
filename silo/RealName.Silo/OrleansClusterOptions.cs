namespace RealName.Silo;

/// <summary>Cluster identity and endpoints of this silo, bound from configuration section "Cluster" (not "Orleans": Orleans reads that section itself to configure providers).</summary>
public sealed class OrleansClusterOptions
{
    public const string Section = "Cluster";

    /// <summary>Stable across deployments: grain state and reminders are keyed by it.</summary>
    public string ServiceId { get; set; } = "realname";

    /// <summary>Silos and clients with the same ClusterId form one cluster through the membership table.</summary>
    public string ClusterId { get; set; } = "realname-dev";

    public int SiloPort { get; set; } = 11111;

    public int GatewayPort { get; set; } = 30000;

    /// <summary>Address other silos and clients use to reach this one.</summary>
    public string AdvertisedIPAddress { get; set; } = "127.0.0.1";
}
