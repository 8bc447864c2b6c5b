namespace RealName.Grains.Callers;

/// <summary>
/// The roles a caller can hold (stored in <c>callers.role</c>, carried as the principal's role claim).
/// What each may call is decided by the gateway's [Authorize] attributes.
/// </summary>
public static class CallerRoles
{
    /// <summary>A retail outlet's terminal: registrations, re-verifications, cancellations, self-service; RETAIL only.</summary>
    public const string RetailTerminal = "RETAIL_TERMINAL";

    /// <summary>An online sales flow: the same calls, ONLINE only.</summary>
    public const string OnlineSales = "ONLINE_SALES";

    /// <summary>Manual-review staff.</summary>
    public const string Reviewer = "REVIEWER";

    /// <summary>Risk operations: fraud reports, re-review triggers, IoT approvals, re-review campaigns.</summary>
    public const string RiskOperator = "RISK_OPERATOR";

    /// <summary>Auditors: reports, traces, exports, chain verification, campaign progress.</summary>
    public const string Auditor = "AUDITOR";

    /// <summary>Administrators of callers.</summary>
    public const string Admin = "ADMIN";

    public static IReadOnlyList<string> All { get; } = [RetailTerminal, OnlineSales, Reviewer, RiskOperator, Auditor, Admin];

    /// <summary>The channel kind a sales role acts for (RETAIL / ONLINE), null for the others.</summary>
    public static string? ChannelKindOf(string role) => role switch
    {
        RetailTerminal => "RETAIL",
        OnlineSales => "ONLINE",
        _ => null,
    };
}
