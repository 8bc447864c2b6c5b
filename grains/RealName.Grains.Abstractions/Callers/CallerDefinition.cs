using System.Collections.Immutable;
using System.Text.RegularExpressions;

namespace RealName.Grains.Callers;

/// <summary>
/// A caller to issue: a unique name, a role and a scope. Scope rules (the one place they live):
/// <list type="bullet">
/// <item>RETAIL_TERMINAL and ONLINE_SALES need at least one carrier; outlets and devices may narrow it
/// (empty: any outlet / device of those carriers); the channel kind is the role's (RETAIL / ONLINE).</item>
/// <item>REVIEWER and RISK_OPERATOR may be limited to carriers (empty: every carrier); nothing else.</item>
/// <item>AUDITOR and ADMIN act across carriers and take no scope.</item>
/// </list>
/// </summary>
[GenerateSerializer, Immutable, Alias("realname.callers.CallerDefinition")]
public sealed partial record CallerDefinition(
    [property: Id(0)] string Name,
    [property: Id(1)] string Role,
    [property: Id(2)] ImmutableArray<string> CarrierIds,
    [property: Id(3)] ImmutableArray<string> OutletIds,
    [property: Id(4)] string? ChannelKind,
    [property: Id(5)] ImmutableArray<string> DeviceIds)
{
    /// <summary>The actor recorded for callers issued from configuration at start-up.</summary>
    public const string BootstrapActor = "bootstrap";

    private const int MaxScopeEntries = 1_000;

    /// <summary>Names the grid records for its own actions: a caller named so would pass for the grid in the audit log.</summary>
    public static IReadOnlySet<string> ReservedNames { get; } = new HashSet<string>([CallerContext.System, BootstrapActor], StringComparer.OrdinalIgnoreCase);
    private const int MaxScopeValueLength = 64;

    /// <summary>The definition with the role's channel kind filled in and scope values trimmed, de-duplicated and sorted.</summary>
    public CallerDefinition Normalized() => this with
    {
        Name = Name.Trim(),
        CarrierIds = Clean(CarrierIds),
        OutletIds = Clean(OutletIds),
        ChannelKind = string.IsNullOrEmpty(ChannelKind) ? CallerRoles.ChannelKindOf(Role) : ChannelKind,
        DeviceIds = Clean(DeviceIds),
    };

    /// <summary>What is wrong with the (normalized) definition, as (field, problem) pairs; empty when it can be issued.</summary>
    public IReadOnlyList<(string Field, string Problem)> Problems()
    {
        var problems = new List<(string, string)>();
        if (!NamePattern().IsMatch(Name))
        {
            problems.Add(("name", "INVALID_CALLER_NAME: 1-64 letters, digits, '.', '_' or '-'"));
        }
        else if (ReservedNames.Contains(Name))
        {
            problems.Add(("name", $"CALLER_NAME_RESERVED: '{Name}' is what the audit log records for the grid's own actions"));
        }

        if (!CallerRoles.All.Contains(Role))
        {
            problems.Add(("role", "REQUIRED: one of " + string.Join(", ", CallerRoles.All)));
            return problems;
        }

        var sales = CallerRoles.ChannelKindOf(Role);
        if (sales is not null && CarrierIds.IsDefaultOrEmpty)
        {
            problems.Add(("scope.carrier_ids", $"SCOPE_REQUIRED: a {Role} acts for at least one carrier"));
        }

        if (sales is not null && ChannelKind != sales)
        {
            problems.Add(("scope.channel_kind", $"SCOPE_NOT_ALLOWED: a {Role} acts for {sales} channels only"));
        }

        if (sales is null && !(OutletIds.IsDefaultOrEmpty && DeviceIds.IsDefaultOrEmpty && ChannelKind is null))
        {
            problems.Add(("scope", $"SCOPE_NOT_ALLOWED: a {Role} has no outlet, channel kind or device scope"));
        }

        if (Role is CallerRoles.Auditor or CallerRoles.Admin && !CarrierIds.IsDefaultOrEmpty)
        {
            problems.Add(("scope.carrier_ids", $"SCOPE_NOT_ALLOWED: a {Role} acts across carriers"));
        }

        foreach (var (field, values) in new[] { ("scope.carrier_ids", CarrierIds), ("scope.outlet_ids", OutletIds), ("scope.device_ids", DeviceIds) })
        {
            if (!values.IsDefault && (values.Length > MaxScopeEntries || values.Any(v => v.Length is 0 or > MaxScopeValueLength)))
            {
                problems.Add((field, $"OUT_OF_RANGE: at most {MaxScopeEntries} values of 1-{MaxScopeValueLength} characters"));
            }
        }

        return problems;
    }

    private static ImmutableArray<string> Clean(ImmutableArray<string> values) =>
        values.IsDefault ? [] : [.. values.Select(v => v.Trim()).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];

    [GeneratedRegex(@"^[A-Za-z0-9._-]{1,64}\z")]
    private static partial Regex NamePattern();
}
