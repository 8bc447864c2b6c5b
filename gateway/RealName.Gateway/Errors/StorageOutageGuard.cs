using Grpc.Core;

namespace RealName.Gateway.Errors;

/// <summary>
/// A gRPC request that fails in middleware because PostgreSQL is unreachable (looking its caller's credential up,
/// while the database restarts) gets UNAVAILABLE with reason STORAGE_UNAVAILABLE, safe to retry, as a handler's
/// storage failure does: before, it escaped as HTTP 500, which gRPC clients report as UNKNOWN (found by
/// `realname grid chaos` restarting PostgreSQL under load).
/// </summary>
public sealed partial class StorageOutageGuard(RequestDelegate next, ILogger<StorageOutageGuard> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            await next(context);
        }
        catch (Exception ex) when (IsStorageFailure(ex) && !context.Response.HasStarted && TrailersOnlyResponse.IsGrpc(context.Request))
        {
            LogOutage(logger, context.Request.Path.Value ?? "", ex.GetType().Name);
            await TrailersOnlyResponse.WriteAsync(context.Response, GrpcErrors.Status(
                Rules.ReasonCode.StorageUnavailable, "Grid storage is temporarily unavailable; nothing was done. Retry the request."));
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Path}: grid storage unavailable before the handler ({Kind}); answered UNAVAILABLE")]
    private static partial void LogOutage(ILogger logger, string path, string kind);
}
