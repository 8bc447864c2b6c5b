namespace RealName.Gateway.Security;

/// <summary>One caller's key. Keys are secrets: configuration or environment, never the repo.</summary>
public sealed class ApiKey
{
    /// <summary>Caller name recorded as the acting principal (e.g. "outlet-sh-001-terminal", "auditor-li").</summary>
    public string Name { get; set; } = "";

    public string Key { get; set; } = "";

    /// <summary>One of <see cref="Roles"/>.</summary>
    public string Role { get; set; } = "";
}

/// <summary>Bound from configuration section "Auth".</summary>
public sealed class AuthOptions
{
    public const string Section = "Auth";

    public List<ApiKey> ApiKeys { get; set; } = [];
}
