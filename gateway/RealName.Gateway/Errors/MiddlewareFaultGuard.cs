namespace RealName.Gateway.Errors;

/// <summary>
/// The outermost middleware of a gRPC request: whatever fails before a handler runs (the message guard reading the
/// body, the caller's credential looked up in PostgreSQL, the authorization and rate-limit steps) is answered with a
/// status and a reason instead of escaping as HTTP 500, which gRPC clients report as UNKNOWN. Nothing was done in any
/// of these cases, so every answer here is safe to retry:
/// <list type="bullet">
/// <item>PostgreSQL unreachable (found by <c>realname grid chaos</c> restarting it under load): UNAVAILABLE, STORAGE_UNAVAILABLE;</item>
/// <item>a body Kestrel refuses to go on reading: over its size limit RESOURCE_EXHAUSTED, REQUEST_TOO_LARGE; arriving
/// too slowly or cut off UNAVAILABLE, REQUEST_BODY_UNREADABLE;</item>
/// <item>anything else: UNAVAILABLE, GATEWAY_FAULT, logged as an error with the exception (a defect to fix).</item>
/// </list>
/// A request whose client has gone away gets no answer.
/// </summary>
public sealed partial class MiddlewareFaultGuard(RequestDelegate next, ILogger<MiddlewareFaultGuard> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            await next(context);
        }
        catch (Exception ex) when (!context.Response.HasStarted && TrailersOnlyResponse.IsGrpc(context.Request) && !context.RequestAborted.IsCancellationRequested)
        {
            await TrailersOnlyResponse.WriteAsync(context.Response, Translate(ex, context.Request.Path.Value ?? ""));
        }
    }

    /// <summary>PostgreSQL failed under the request: an Npgsql error or a grain's storage failure, also inside Orleans' own exceptions.</summary>
    public static bool IsStorageFailure(Exception? ex)
    {
        for (; ex is not null; ex = ex.InnerException)
        {
            if (ex is Grains.StorageUnavailableException or Npgsql.NpgsqlException)
            {
                return true;
            }
        }

        return false;
    }

    private Google.Rpc.Status Translate(Exception ex, string path)
    {
        if (IsStorageFailure(ex))
        {
            LogOutage(logger, path, ex.GetType().Name);
            return GrpcErrors.Status(Rules.ReasonCode.StorageUnavailable, "Grid storage is temporarily unavailable; nothing was done. Retry the request.");
        }

        if (ex is BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge })
        {
            LogBadBody(logger, path, ex.Message);
            return GrpcErrors.Status(Rules.ReasonCode.RequestTooLarge, "The request body is larger than the gateway accepts; nothing was done.");
        }

        if (ex is BadHttpRequestException)
        {
            LogBadBody(logger, path, ex.Message);
            return GrpcErrors.Status(Rules.ReasonCode.RequestBodyUnreadable, "The request body arrived too slowly or was cut off; nothing was done. Retry the request.");
        }

        LogFault(logger, ex, path);
        return GrpcErrors.Status(Rules.ReasonCode.GatewayFault, "The gateway failed before the request reached the grid; nothing was done. Retry the request.");
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Path}: grid storage unavailable before the handler ({Kind}); answered UNAVAILABLE")]
    private static partial void LogOutage(ILogger logger, string path, string kind);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Path}: the request body could not be read ({Problem})")]
    private static partial void LogBadBody(ILogger logger, string path, string problem);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Path}: failed before the handler; answered UNAVAILABLE / GATEWAY_FAULT")]
    private static partial void LogFault(ILogger logger, Exception ex, string path);
}
