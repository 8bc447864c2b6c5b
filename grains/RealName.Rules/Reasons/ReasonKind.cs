namespace RealName.Rules;

/// <summary>
/// What kind of "no" a reason is. The gateway turns each kind into one gRPC status
/// (gateway/RealName.Gateway/Errors/WireReasons.cs), so a reason always reaches clients the same way.
/// </summary>
public enum ReasonKind
{
    /// <summary>The input is malformed (a typo, a missing field): INVALID_ARGUMENT.</summary>
    Malformed = 1,

    /// <summary>The input is well formed but a rule refuses it: FAILED_PRECONDITION.</summary>
    Refused = 2,

    /// <summary>The thing asked about does not exist: NOT_FOUND.</summary>
    NotFound = 3,

    /// <summary>The caller may not do this: PERMISSION_DENIED.</summary>
    Denied = 4,

    /// <summary>Too many attempts; try later: RESOURCE_EXHAUSTED.</summary>
    Exhausted = 5,

    /// <summary>A part of the grid is down; safe to retry: UNAVAILABLE.</summary>
    Unavailable = 6,

    /// <summary>No credential, or one the grid does not know: UNAUTHENTICATED.</summary>
    Unauthenticated = 7,

    /// <summary>The caller gave up (deadline or cancellation) and the work was abandoned: CANCELLED.</summary>
    Abandoned = 8,
}

/// <summary>Declares the <see cref="ReasonKind"/> of a <see cref="ReasonCode"/> member.</summary>
[AttributeUsage(AttributeTargets.Field)]
public sealed class ReasonAttribute(ReasonKind kind) : Attribute
{
    public ReasonKind Kind { get; } = kind;
}
