using Google.Rpc;
using RealName.Rules;

namespace RealName.Gateway.Errors;

/// <summary>
/// The one mapping between the rule book's reasons and the wire, both directions: a reason code's gRPC
/// status (by its <see cref="ReasonKind"/>), and a wire string (a grain refusal's code, ErrorInfo.reason)
/// back to its <see cref="ReasonCode"/>. The same rule therefore reaches clients with the same status and
/// reason whether the gateway answered early or a grain answered with authority.
/// </summary>
public static class WireReasons
{
    /// <summary>The status every reason of a kind gets.</summary>
    public static Code StatusOf(ReasonKind kind) => kind switch
    {
        ReasonKind.Malformed => Code.InvalidArgument,
        ReasonKind.Refused => Code.FailedPrecondition,
        ReasonKind.NotFound => Code.NotFound,
        ReasonKind.Denied => Code.PermissionDenied,
        ReasonKind.Exhausted => Code.ResourceExhausted,
        ReasonKind.Unavailable => Code.Unavailable,
        ReasonKind.Unauthenticated => Code.Unauthenticated,
        ReasonKind.Abandoned => Code.Cancelled,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "A reason kind without a status."),
    };

    public static Code StatusOf(ReasonCode code) => StatusOf(code.Kind());

    /// <summary>The reason code of a wire string; null for reasons outside the rule book (the face engine's image gates).</summary>
    public static ReasonCode? Parse(string wire) => ReasonCodes.TryParse(wire, out var code) ? code : null;

    /// <summary>
    /// The status of a reason given as a wire string. Reasons outside the rule book come from the face engine's
    /// gates (NO_FACE, TOO_BLURRY…): a well-formed image a rule refused, so FAILED_PRECONDITION.
    /// </summary>
    public static Code StatusOf(string wire) => Parse(wire) is { } code ? StatusOf(code) : Code.FailedPrecondition;
}
