using System.Collections.Immutable;
using System.Globalization;

namespace RealName.Rules;

/// <summary>Where a restriction stands at a given time.</summary>
public enum RestrictionStatus
{
    Scheduled = 1,
    Active = 2,
    Expired = 3,
    Lifted = 4,
}

/// <summary>A restriction order as a risk operator states it (the identity is given separately).</summary>
public sealed record RestrictionInput(string Reason, string AuthorityReference, DateTimeOffset? StartsAt, DateTimeOffset? EndsAt);

/// <summary>
/// 反电信网络诈骗法 (art. 31): people public security identified as involved in telecom fraud may be barred from
/// opening new numbers for a period. A restriction names the identity, the reason and the authority's reference,
/// and holds from its start until its end (exclusive) unless a risk operator lifts it, directly or by granting the
/// person's appeal (申诉). While it holds, a registration whose customer is that identity is refused.
/// </summary>
public static class RestrictionRules
{
    public const int MaxReasonLength = 256;

    public const int MaxAuthorityReferenceLength = 128;

    public const int MaxStatementLength = 2000;

    public const int MaxReceivedViaLength = 128;

    /// <summary>Longest restriction one order may impose; a longer bar is renewed by a new order.</summary>
    public static readonly TimeSpan MaxDuration = TimeSpan.FromDays(3653);

    /// <summary>The violations of an order at <paramref name="now"/>; a missing start means now.</summary>
    public static IReadOnlyList<RuleViolation> CheckOrder(RestrictionInput order, DateTimeOffset now)
    {
        var violations = new List<RuleViolation>();
        Add(violations, CheckText(order.Reason, MaxReasonLength, "reason"));
        Add(violations, CheckText(order.AuthorityReference, MaxAuthorityReferenceLength, "authority_reference"));
        var start = order.StartsAt ?? now;
        if (order.EndsAt is not { } end)
        {
            violations.Add(new(ReasonCode.FieldRequired, "ends_at", "when the restriction ends is required"));
        }
        else if (end <= now)
        {
            violations.Add(new(ReasonCode.InvalidDate, "ends_at", "the end must lie in the future"));
        }
        else if (end <= start)
        {
            violations.Add(new(ReasonCode.InvalidDate, "ends_at", "the end must lie after the start"));
        }
        else if (end - start > MaxDuration)
        {
            violations.Add(new(ReasonCode.InvalidDate, "ends_at", "one order restricts for at most ten years"));
        }

        return violations;
    }

    /// <summary>A required free text of bounded length (reason, reference, statement).</summary>
    public static RuleViolation? CheckText(string value, int maxLength, string field) =>
        string.IsNullOrWhiteSpace(value) || value.Trim().Length > maxLength
            ? new(ReasonCode.FieldRequired, field, $"1 to {maxLength} characters are required")
            : null;

    public static RestrictionStatus StatusAt(DateTimeOffset startsAt, DateTimeOffset endsAt, DateTimeOffset? liftedAt, DateTimeOffset now) =>
        liftedAt is not null ? RestrictionStatus.Lifted
        : now < startsAt ? RestrictionStatus.Scheduled
        : now < endsAt ? RestrictionStatus.Active
        : RestrictionStatus.Expired;

    /// <summary>The refusal of a registration by a restricted identity.</summary>
    public static RuleViolation Restricted(DateTimeOffset endsAt) =>
        new(ReasonCode.IdentityRestricted, "customer.document", "The customer's identity is restricted from opening new numbers.")
        {
            Details = ImmutableDictionary<string, string>.Empty.Add("restricted_until", endsAt.ToString("O", CultureInfo.InvariantCulture)),
        };

    private static void Add(List<RuleViolation> violations, RuleViolation? violation)
    {
        if (violation is not null)
        {
            violations.Add(violation);
        }
    }
}
