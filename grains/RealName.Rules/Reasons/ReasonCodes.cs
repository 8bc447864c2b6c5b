using System.Collections.Frozen;
using System.Reflection;

namespace RealName.Rules;

/// <summary>The wire form and the kind of each <see cref="ReasonCode"/>, both directions.</summary>
public static class ReasonCodes
{
    private static readonly FrozenDictionary<ReasonCode, (string Wire, ReasonKind Kind)> Table =
        Enum.GetValues<ReasonCode>().ToFrozenDictionary(code => code, code => (WireCodes.Of(code), KindDeclaredOn(code)));

    private static readonly FrozenDictionary<string, ReasonCode> ByWire =
        Table.ToFrozenDictionary(entry => entry.Value.Wire, entry => entry.Key, StringComparer.Ordinal);

    /// <summary>Every reason code.</summary>
    public static IReadOnlyCollection<ReasonCode> All => Table.Keys;

    /// <summary>The machine-readable string clients and the audit log see (DOCUMENT_EXPIRED).</summary>
    public static string Wire(this ReasonCode code) => Table[code].Wire;

    public static ReasonKind Kind(this ReasonCode code) => Table[code].Kind;

    /// <summary>The reason code of a wire string; false for strings the rule book does not define (e.g. face-engine gates).</summary>
    public static bool TryParse(string wire, out ReasonCode code) => ByWire.TryGetValue(wire, out code);

    private static ReasonKind KindDeclaredOn(ReasonCode code) =>
        typeof(ReasonCode).GetField(code.ToString(), BindingFlags.Public | BindingFlags.Static)?.GetCustomAttribute<ReasonAttribute>()?.Kind
        ?? throw new InvalidOperationException($"ReasonCode.{code} has no [Reason(kind)] attribute.");
}
