using Grpc.Core.Interceptors;
using RealName.Rules;

namespace RealName.Gateway.Errors;

/// <summary>
/// Turns failures that escaped a service into a structured status: an unreachable cluster becomes
/// UNAVAILABLE with CLUSTER_UNAVAILABLE, failed grid storage (a grain's typed failure, or PostgreSQL
/// unreachable from the gateway's reads) UNAVAILABLE with STORAGE_UNAVAILABLE, both safe to retry with
/// the same idempotency key; a retry that differs from the recorded request FAILED_PRECONDITION with
/// REQUEST_CONFLICT; a grid at capacity RESOURCE_EXHAUSTED; work abandoned because the client gave up CANCELLED
/// (the client has its DEADLINE_EXCEEDED already); anything else INTERNAL without internals.
/// </summary>
public sealed partial class ErrorInterceptor(ILogger<ErrorInterceptor> logger) : Interceptor
{
    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            return await continuation(request, context);
        }
        catch (Exception ex) when (ex is not RpcException)
        {
            throw Translate(ex, context);
        }
    }

    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            await continuation(request, responseStream, context);
        }
        catch (Exception ex) when (ex is not RpcException)
        {
            throw Translate(ex, context);
        }
    }

    private RpcException Translate(Exception ex, ServerCallContext context)
    {
        var method = context.Method;
        if (ex is OperationCanceledException && context.CancellationToken.IsCancellationRequested)
        {
            // The client's deadline passed or it cancelled: the grid abandoned the work and recorded nothing.
            LogGaveUp(logger, method);
            return GrpcErrors.CallerGaveUp();
        }

        if (ex is Grains.GridBusyException)
        {
            LogBusy(logger, method);
            return GrpcErrors.Error(ReasonCode.GridBusy, "The grid is at capacity; nothing was recorded. Retry later with the same idempotency key.");
        }

        if (MiddlewareFaultGuard.IsStorageFailure(ex))
        {
            LogUnavailable(logger, method, ex.GetType().Name);
            return GrpcErrors.Error(ReasonCode.StorageUnavailable, "Grid storage is temporarily unavailable; nothing was acknowledged. Retry with the same idempotency key.");
        }

        if (ex is Grains.RequestConflictException conflict)
        {
            return GrpcErrors.Error(ReasonCode.RequestConflict, conflict.Message);
        }

        if (ex is Orleans.Runtime.SiloUnavailableException or Orleans.Runtime.OrleansMessageRejectionException
            or Orleans.Runtime.Messaging.ConnectionFailedException or TimeoutException)
        {
            LogUnavailable(logger, method, ex.GetType().Name);
            return GrpcErrors.Error(ReasonCode.ClusterUnavailable, "The grid is temporarily unavailable; retry with the same idempotency key.");
        }

        LogFailure(logger, ex, method);
        return GrpcErrors.Internal("The request failed inside the grid; nothing was acknowledged.");
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Method}: cluster unavailable ({Kind})")]
    private static partial void LogUnavailable(ILogger logger, string method, string kind);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Method}: the caller gave up (deadline or cancellation); the work was abandoned")]
    private static partial void LogGaveUp(ILogger logger, string method);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Method}: grid busy, refused")]
    private static partial void LogBusy(ILogger logger, string method);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Method} failed")]
    private static partial void LogFailure(ILogger logger, Exception ex, string method);
}
