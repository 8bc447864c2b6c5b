using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using RealName.Grains.Subscribers;

namespace RealName.Gateway.Errors;

/// <summary>
/// The one place that turns validation failures and rule refusals into gRPC errors: a google.rpc.Status
/// in the trailers with BadRequest field violations or an ErrorInfo whose reason is machine-readable.
/// </summary>
public static class GrpcErrors
{
    public const string Domain = "realname.v1";

    public static RpcException InvalidArgument(IReadOnlyList<BadRequest.Types.FieldViolation> violations)
    {
        var badRequest = new BadRequest();
        badRequest.FieldViolations.AddRange(violations);
        var summary = string.Join("; ", violations.Select(v => $"{v.Field}: {v.Description}"));
        return Build(Code.InvalidArgument, $"Invalid request: {summary}", Any.Pack(badRequest), Any.Pack(Info("INVALID_ARGUMENT")));
    }

    public static RpcException Refused(Refusal refusal) =>
        Build(Code.FailedPrecondition, refusal.Message, Any.Pack(Info(refusal.Code, refusal.Details)));

    public static RpcException PermissionDenied(string reason, string message) =>
        Build(Code.PermissionDenied, message, Any.Pack(Info(reason)));

    public static RpcException NotFound(string reason, string message) =>
        Build(Code.NotFound, message, Any.Pack(Info(reason)));

    public static RpcException Unavailable(string reason, string message) =>
        Build(Code.Unavailable, message, Any.Pack(Info(reason)));

    public static RpcException Internal(string message) =>
        Build(Code.Internal, message, Any.Pack(Info("INTERNAL")));

    /// <summary>The grid or the caller's budget is at its limit: nothing was done; retry later (same idempotency key).</summary>
    public static RpcException ResourceExhausted(string reason, string message, IReadOnlyDictionary<string, string>? metadata = null) =>
        Status(Code.ResourceExhausted, reason, message, metadata).ToRpcException();

    /// <summary>A google.rpc.Status with one ErrorInfo, for the few answers written outside a gRPC handler (middleware).</summary>
    public static Google.Rpc.Status Status(Code code, string reason, string message, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var status = new Google.Rpc.Status { Code = (int)code, Message = message };
        status.Details.Add(Any.Pack(Info(reason, metadata)));
        return status;
    }

    /// <summary>
    /// The status the authorization middleware answers with, before any service runs: UNAUTHENTICATED
    /// (CREDENTIAL_REQUIRED, CREDENTIAL_REJECTED) or PERMISSION_DENIED (ROLE_NOT_ALLOWED).
    /// </summary>
    public static Google.Rpc.Status Authorization(bool authenticated, bool presented) => authenticated
        ? Status(Code.PermissionDenied, "ROLE_NOT_ALLOWED", "The caller's role may not call this method.")
        : presented
            ? Status(Code.Unauthenticated, "CREDENTIAL_REJECTED", "Unknown or revoked API key or client certificate.")
            : Status(Code.Unauthenticated, "CREDENTIAL_REQUIRED", "An API key (x-api-key) or a mapped client certificate is required.");

    private static ErrorInfo Info(string reason, IReadOnlyDictionary<string, string>? metadata = null)
    {
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
