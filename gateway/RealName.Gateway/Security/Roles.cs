using RealName.Grains.Callers;

namespace RealName.Gateway.Security;

/// <summary>
/// Who may call what: a caller holds one role (<see cref="CallerRoles"/>); services and methods demand
/// roles with [Authorize(Roles = …)]. A service without an attribute is closed (the fallback policy).
/// </summary>
public static class Roles
{
    public const string RetailTerminal = CallerRoles.RetailTerminal;
    public const string OnlineSales = CallerRoles.OnlineSales;
    public const string Reviewer = CallerRoles.Reviewer;
    public const string RiskOperator = CallerRoles.RiskOperator;
    public const string Auditor = CallerRoles.Auditor;
    public const string Admin = CallerRoles.Admin;

    /// <summary>The sales channels: registrations, re-verifications, cancellations, self-service.</summary>
    public const string Sales = RetailTerminal + "," + OnlineSales;

    /// <summary>Who reads re-review campaigns.</summary>
    public const string CampaignReaders = Auditor + "," + RiskOperator;
}
