using Google.Rpc;
using Grpc.Core;

namespace RealName.IntegrationTests.Infrastructure;

/// <summary>Asserts on the structured errors (google.rpc.Status details) the gateway returns.</summary>
internal static class RpcAssert
{
    /// <summary>The call fails FAILED_PRECONDITION with this ErrorInfo reason; returns the ErrorInfo.</summary>
    public static async Task<ErrorInfo> Refused<T>(string reason, Func<AsyncUnaryCall<T>> call)
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => call().ResponseAsync);
        Assert.Equal(StatusCode.FailedPrecondition, error.StatusCode);
        var info = error.GetRpcStatus()?.GetDetail<ErrorInfo>();
        Assert.NotNull(info);
        Assert.Equal(reason, info.Reason);
        return info;
    }

    /// <summary>The call fails NOT_FOUND.</summary>
    public static async Task NotFound<T>(Func<AsyncUnaryCall<T>> call)
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => call().ResponseAsync);
        Assert.Equal(StatusCode.NotFound, error.StatusCode);
    }

    /// <summary>The call fails INVALID_ARGUMENT with a violation of this field; returns its description.</summary>
    public static async Task<string> Invalid<T>(string field, Func<AsyncUnaryCall<T>> call)
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => call().ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        var violations = error.GetRpcStatus()?.GetDetail<BadRequest>()?.FieldViolations;
        Assert.NotNull(violations);
        return Assert.Single(violations, v => v.Field == field).Description;
    }
}
