using System.Collections.Immutable;

namespace RealName.Rules;

/// <summary>
/// A rule's answer when it says no: one typed <see cref="ReasonCode"/>, the request field it is about
/// (a gRPC field path such as customer.document.valid_until; empty when the rule is about the whole request),
/// a message for people, and machine-readable details (e.g. held/limit).
/// </summary>
public sealed record RuleViolation(ReasonCode Code, string Field, string Message)
{
    public ImmutableDictionary<string, string> Details { get; init; } = ImmutableDictionary<string, string>.Empty;

    public ReasonKind Kind => Code.Kind();

    /// <summary>The upper-snake reason clients see.</summary>
    public string Reason => Code.Wire();

    /// <summary>"DOCUMENT_EXPIRED: the document expired on 2020-01-01": how a field violation is described on the wire.</summary>
    public string Description => $"{Reason}: {Message}";
}
