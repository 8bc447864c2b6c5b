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
public sealed class Violations
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

        var reason = Rules.FirstOrDefault(r => r.Kind == ReasonKind.Malformed)?.Reason ?? "INVALID_ARGUMENT";
        throw GrpcErrors.InvalidArgument(items.Select(i => i.Violation).ToList(), reason);
    }
}
