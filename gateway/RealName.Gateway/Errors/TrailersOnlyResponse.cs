using System.Globalization;
using Google.Protobuf;

namespace RealName.Gateway.Errors;

/// <summary>
/// Answers a gRPC request from middleware, before any handler ran (size guard, rate limiter): a
/// trailers-only response whose headers carry grpc-status, grpc-message and the google.rpc.Status
/// (grpc-status-details-bin), exactly as a handler's RpcException would.
/// </summary>
public static class TrailersOnlyResponse
{
    public const string GrpcContentType = "application/grpc";

    /// <summary>application/grpc, with a +codec or ;parameters; not gRPC-Web (application/grpc-web...), which this gateway does not speak.</summary>
    public static bool IsGrpc(HttpRequest request) =>
        request.ContentType is { } type && (type == GrpcContentType
            || type.StartsWith(GrpcContentType + "+", StringComparison.Ordinal) || type.StartsWith(GrpcContentType + ";", StringComparison.Ordinal));

    public static Task WriteAsync(HttpResponse response, Google.Rpc.Status status)
    {
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = GrpcContentType;
        response.Headers["grpc-status"] = status.Code.ToString(CultureInfo.InvariantCulture);
        response.Headers["grpc-message"] = Uri.EscapeDataString(status.Message);
        response.Headers["grpc-status-details-bin"] = Convert.ToBase64String(status.ToByteArray()).TrimEnd('=');
        return Task.CompletedTask;
    }
}
