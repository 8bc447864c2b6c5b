using System.Globalization;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using RealName.Grains.Subscribers;
using RealName.Rules;

namespace RealName.Gateway.Errors;

/// <summary>
/// The one place that turns validation failures and rule refusals into gRPC errors: a google.rpc.Status
/// in the trailers with BadRequest field violations and an ErrorInfo whose reason is machine-readable.
/// Which status a reason gets is <see cref="WireReasons"/>' decision.
/// </summary>
public static class GrpcErrors
{
    public const string Domain = "realname.v1";

    /// <summary>INVALID_ARGUMENT with every field violation; the ErrorInfo reason is the first coded one (or INVALID_ARGUMENT).</summary>
    public static RpcException InvalidArgument(IReadOnlyList<BadRequest.Types.FieldViolation> violations, string reason)
    {
        var badRequest = new BadRequest();
        badRequest.FieldViolations.AddRange(violations);
        var summary = string.Join("; ", violations.Select(v => $"{v.Field}: {v.Description}"));
        return Build(Code.InvalidArgument, $"Invalid request: {summary}", Any.Pack(badRequest), Any.Pack(Info(Code.InvalidArgument, reason)));
    }

    /// <summary>The record a grain stored, or its refusal thrown as the refusal's gRPC error.</summary>
    public static SubscriberRecord Accepted(this RegistrationOutcome outcome) =>
        outcome.Refusal is { } refusal ? throw Refused(refusal) : outcome.Record!;

    /// <summary>The restriction a grain stored, or its refusal thrown as the refusal's gRPC error.</summary>
    public static Grains.Restrictions.Restriction Accepted(this Grains.Restrictions.RestrictionOutcome outcome) =>
        outcome.Refusal is { } refusal ? throw Refused(refusal) : outcome.Restriction!;

    /// <summary>
    /// A rule's refusal (from a grain or the gateway's early check), with the status of its reason; an attempt
    /// limit (RESOURCE_EXHAUSTED, e.g. TOO_MANY_FAILED_PROOFS) also carries a RetryInfo when the refusal says when.
    /// </summary>
    public static RpcException Refused(Refusal refusal)
    {
        var code = WireReasons.StatusOf(refusal.Code);
        if (code == Code.ResourceExhausted)
        {
            var retry = new RetryInfo();
            if (refusal.Details.TryGetValue("retry_after_seconds", out var seconds) && long.TryParse(seconds, CultureInfo.InvariantCulture, out var delay))
            {
                retry.RetryDelay = Duration.FromTimeSpan(TimeSpan.FromSeconds(delay));
            }

            return Build(code, refusal.Message, Any.Pack(Info(code, refusal.Code, refusal.Details)), Any.Pack(retry));
        }

        if (code != Code.InvalidArgument)
        {
            return Build(code, refusal.Message, Any.Pack(Info(code, refusal.Code, refusal.Details)));
        }

        var field = refusal.Details.GetValueOrDefault(Refusal.FieldDetail, "");
        return InvalidArgument([new BadRequest.Types.FieldViolation { Field = field, Description = $"{refusal.Code}: {refusal.Message}" }], refusal.Code);
    }

    /// <summary>The error of a rule-book reason raised at the gateway: exactly what a grain's refusal with the same reason gives.</summary>
    public static RpcException For(RuleViolation violation) => Refused(Refusal.From(violation));

    /// <summary>The error of a reason the gateway decides itself (a guard, a limit, a missing thing), with its reason's status.</summary>
    public static RpcException Error(ReasonCode reason, string message, IReadOnlyDictionary<string, string>? metadata = null) =>
        Status(reason, message, metadata).ToRpcException();

    /// <summary>The client gave up (deadline or cancellation) and the grid abandoned the work: nothing was recorded.</summary>
    public static RpcException CallerGaveUp() =>
        Error(ReasonCode.CallerGaveUp, "The caller gave up before the grid answered; the work was abandoned and nothing was recorded.");

    public static RpcException Internal(string message) =>
        Build(Code.Internal, message, Any.Pack(Info(Code.Internal, "INTERNAL")));

    /// <summary>A google.rpc.Status with one ErrorInfo, also for the few answers written outside a gRPC handler (middleware).</summary>
    public static Google.Rpc.Status Status(ReasonCode reason, string message, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var code = WireReasons.StatusOf(reason);
        var status = new Google.Rpc.Status { Code = (int)code, Message = message };
        status.Details.Add(Any.Pack(Info(code, reason.Wire(), metadata)));
        return status;
    }

    /// <summary>
    /// The status the authorization middleware answers with, before any service runs: UNAUTHENTICATED
    /// (CREDENTIAL_REQUIRED, CREDENTIAL_REJECTED) or PERMISSION_DENIED (ROLE_NOT_ALLOWED).
    /// </summary>
    public static Google.Rpc.Status Authorization(bool authenticated, bool presented) => authenticated
        ? Status(ReasonCode.RoleNotAllowed, "The caller's role may not call this method.")
        : presented
            ? Status(ReasonCode.CredentialRejected, "Unknown or revoked API key or client certificate.")
            : Status(ReasonCode.CredentialRequired, "An API key (x-api-key) or a mapped client certificate is required.");

    /// <summary>The ErrorInfo of every error answered: also where refusals are counted (metric realname.refusals).</summary>
    private static ErrorInfo Info(Code code, string reason, IReadOnlyDictionary<string, string>? metadata = null)
    {
        Hosting.GatewayMetrics.Refusal(reason, code);
        var info = new ErrorInfo { Reason = reason, Domain = Domain };
        if (metadata is not null)
        {
            foreach (var (key, value) in metadata)
            {
                info.Metadata[key] = value;
            }
        }

        return info;
    }

    private static RpcException Build(Code code, string message, params Any[] details)
    {
        var status = new Google.Rpc.Status { Code = (int)code, Message = message };
        status.Details.AddRange(details);
        return status.ToRpcException();
    }
}
