namespace RealName.Grains;

/// <summary>
/// The authenticated caller of the current request. The gateway sets it from the credential (never from
/// the request) in Orleans' <see cref="RequestContext"/>, which flows to every grain call the request
/// makes; audit events read it from here. Work the grid starts itself (reminders, timers) has no caller
/// and records <see cref="System"/>.
/// </summary>
public static class CallerContext
{
    public const string Key = "realname.caller";

    /// <summary>The caller recorded for work no credential started (reminders, timers).</summary>
    public const string System = "system";

    /// <summary>The caller name of the request being served, or <see cref="System"/>.</summary>
    public static string Current => RequestContext.Get(Key) as string is { Length: > 0 } name ? name : System;

    /// <summary>Sets the caller for the rest of this request's grain calls.</summary>
    public static void Set(string callerName) => RequestContext.Set(Key, callerName);
}
