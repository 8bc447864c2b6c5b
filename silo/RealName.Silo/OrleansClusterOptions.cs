using System.ComponentModel.DataAnnotations;

namespace RealName.Silo;

/// <summary>Cluster identity and endpoints of this silo, bound from configuration section "Cluster" (not "Orleans": Orleans reads that section itself to configure providers).</summary>
public sealed class OrleansClusterOptions
{
    public const string Section = "Cluster";

    /// <summary>Stable across deployments: grain state and reminders are keyed by it.</summary>
    [Required(AllowEmptyStrings = false, ErrorMessage = "Cluster:ServiceId must not be empty.")]
    public string ServiceId { get; set; } = "realname";

    /// <summary>Silos and clients with the same ClusterId form one cluster through the membership table.</summary>
    [Required(AllowEmptyStrings = false, ErrorMessage = "Cluster:ClusterId must not be empty.")]
    public string ClusterId { get; set; } = "realname-dev";

    [Range(1, 65535, ErrorMessage = "Cluster:SiloPort must be between {1} and {2}.")]
    public int SiloPort { get; set; } = 11111;

    [Range(1, 65535, ErrorMessage = "Cluster:GatewayPort must be between {1} and {2}.")]
    public int GatewayPort { get; set; } = 30000;

    /// <summary>Address other silos and clients use to reach this one.</summary>
    [RegularExpression(@"^[0-9A-Fa-f:.]+$", ErrorMessage = "Cluster:AdvertisedIPAddress must be an IP address.")]
    public string AdvertisedIPAddress { get; set; } = "127.0.0.1";

    /// <summary>
    /// Running in Kubernetes (deploy/kubernetes): Orleans' Kubernetes hosting takes the silo's identity from the pod
    /// (POD_NAME, POD_NAMESPACE, POD_IP, ORLEANS_SERVICE_ID, ORLEANS_CLUSTER_ID) and declares silos whose pods are gone dead.
    /// </summary>
    public bool Kubernetes { get; set; }
}
