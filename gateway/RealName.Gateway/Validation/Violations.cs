using Google.Rpc;
using RealName.Gateway.Errors;

namespace RealName.Gateway.Validation;

/// <summary>Collects field violations for one request and throws them together as INVALID_ARGUMENT.</summary>
public sealed class Violations
{
    private readonly List<BadRequest.Types.FieldViolation> items = [];

    public int Count => items.Count;

    /// <summary>
    /// The reason codes of the violations whose description starts with one ("DOCUMENT_EXPIRED: …"),
    /// and whether every violation has one: then the request was well formed but a rule refused it.
    /// </summary>
    public (IReadOnlyList<string> Codes, bool All) ReasonCodes()
    {
        var codes = items
            .Select(v => v.Description.Split(':', 2)[0])
            .Where(code => code.Length > 0 && code.All(c => char.IsAsciiLetterUpper(c) || c == '_'))
            .Distinct(StringComparer.Ordinal)
            .ToList();
        var all = items.All(v => v.Description.Split(':', 2)[0] is { Length: > 0 } head && head.All(c => char.IsAsciiLetterUpper(c) || c == '_'));
        return (codes, all);
    }

    public void Add(string field, string description) =>
        items.Add(new BadRequest.Types.FieldViolation { Field = field, Description = description });

    public void ThrowIfAny()
    {
        if (items.Count > 0)
        {
            throw GrpcErrors.InvalidArgument(items);
        }
    }
}
