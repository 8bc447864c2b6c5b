using Google.Rpc;
using RealName.Grains.Subscribers;
using RealName.Rules;

namespace RealName.Gateway.Validation;

/// <summary>
/// Collects what is wrong with one request and throws it as one error: malformed input (any rule-book
/// violation of kind <see cref="ReasonKind.Malformed"/>, or a request-shape problem such as a page size) as
/// INVALID_ARGUMENT with every field violation; otherwise the first rule refusal, exactly as a grain's
/// refusal of the same rule would reach the client (<see cref="GrpcErrors.Refused"/>).
/// </summary>
public sealed partial class Violations
{
    private readonly List<(BadRequest.Types.FieldViolation Violation, RuleViolation? Rule)> items = [];

    public int Count => items.Count;

    /// <summary>The rule-book violations collected so far.</summary>
    public IEnumerable<RuleViolation> Rules => items.Select(i => i.Rule).OfType<RuleViolation>();

    /// <summary>True when the request is well formed and only rules refused it (a registration attempt the auditors count).</summary>
    public bool OnlyRefusals => items.Count > 0 && items.All(i => i.Rule is { Kind: not ReasonKind.Malformed });

    /// <summary>A rule of the rule book said no.</summary>
    public void Add(RuleViolation? violation)
    {
        if (violation is not null)
        {
            items.Add((new BadRequest.Types.FieldViolation { Field = violation.Field, Description = violation.Description }, violation));
        }
    }

    public void AddRange(IEnumerable<RuleViolation> violations)
    {
        foreach (var violation in violations)
        {
            Add(violation);
        }
    }

    /// <summary>A request-shape problem outside the rule book (paging, periods, report options).</summary>
    public void Add(string field, string description) =>
        items.Add((new BadRequest.Types.FieldViolation { Field = field, Description = description }, null));

    public void ThrowIfAny()
    {
        if (items.Count == 0)
        {
            return;
        }

        if (OnlyRefusals)
        {
            throw GrpcErrors.For(items[0].Rule!);
        }

        // The ErrorInfo reason is the first violation's code: a malformed rule's reason, or the code a request-shape
        // description starts with ("OUT_OF_RANGE: ..."); INVALID_ARGUMENT only when none has one.
        var reason = items.Select(i => i.Rule is { } rule ? (rule.Kind == ReasonKind.Malformed ? rule.Reason : null) : CodeOf(i.Violation.Description))
            .FirstOrDefault(code => code is not null) ?? "INVALID_ARGUMENT";
        throw GrpcErrors.InvalidArgument(items.Select(i => i.Violation).ToList(), reason);
    }

    /// <summary>The upper-snake code a description starts with ("PERIOD_EMPTY: to must be after from" → PERIOD_EMPTY), or null.</summary>
    public static string? CodeOf(string description) => LeadingCode().Match(description) is { Success: true } m ? m.Groups[1].Value : null;

    [System.Text.RegularExpressions.GeneratedRegex(@"^([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*)(?::|\z)")]
    private static partial System.Text.RegularExpressions.Regex LeadingCode();
}
