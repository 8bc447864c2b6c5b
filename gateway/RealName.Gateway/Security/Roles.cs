namespace RealName.Gateway.Security;

/// <summary>Who may call what. A key carries one role; services demand roles with [Authorize(Roles = …)].</summary>
public static class Roles
{
    /// <summary>Retail terminals and online sales flows: register, re-verify, cancel, self-service.</summary>
    public const string Channel = "channel";

    /// <summary>Manual-review staff.</summary>
    public const string Reviewer = "reviewer";

    /// <summary>Risk operations: fraud reports, re-review triggers, IoT approvals, campaigns.</summary>
    public const string Risk = "risk";

    /// <summary>Auditors and supervisors: reports, traces, exports, chain verification.</summary>
    public const string Auditor = "auditor";
}
