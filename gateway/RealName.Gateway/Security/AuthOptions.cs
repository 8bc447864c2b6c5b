using System.ComponentModel.DataAnnotations;

namespace RealName.Gateway.Security;

/// <summary>Bound from configuration section "Auth".</summary>
public sealed class AuthOptions
{
    public const string Section = "Auth";

    /// <summary>
    /// Callers seeded into the callers table (as key hashes) at gateway start, e.g. the first local
    /// administrator. A name that exists already is left as it is, so a revoked bootstrap caller stays revoked.
    /// </summary>
    public List<BootstrapCaller> Bootstrap { get; set; } = [];

    /// <summary>How long a looked-up key or certificate is trusted before it is looked up again (revocation takes at most this long).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:00:05")]
    public TimeSpan CallerCacheTtl { get; set; } = TimeSpan.FromSeconds(2);
}

/// <summary>One caller from configuration. Its key is a secret: environment or secret store, never the repo.</summary>
public sealed class BootstrapCaller
{
    public string Name { get; set; } = "";

    /// <summary>One of <see cref="Roles"/>.</summary>
    public string Role { get; set; } = "";

    /// <summary>At least 16 characters.</summary>
    public string Key { get; set; } = "";

    public List<string> CarrierIds { get; set; } = [];

    public List<string> OutletIds { get; set; } = [];

    /// <summary>RETAIL or ONLINE; empty: the role's.</summary>
    public string? ChannelKind { get; set; }

    public List<string> DeviceIds { get; set; } = [];
}
