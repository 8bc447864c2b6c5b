using Microsoft.Extensions.Logging;
using Npgsql;
using Orleans.Storage;

namespace RealName.Grains;

/// <summary>
/// One incoming call filter for every grain: when a call fails because grid storage failed (a grain
/// state write, the audit log, a read), the activation is deactivated, so the new state it may hold in
/// memory but never stored is discarded and the next call reloads the stored one; the caller gets
/// <see cref="StorageUnavailableException"/> (UNAVAILABLE at the gateway, safe to retry, evaluated afresh).
/// An audit event id already recorded with other content becomes <see cref="RequestConflictException"/>.
/// A call to another silo that Orleans' own retries gave up on (<see cref="ClusterFailures"/>) is treated the same way
/// and becomes a <see cref="TimeoutException"/> (UNAVAILABLE, CLUSTER_UNAVAILABLE at the gateway).
/// </summary>
public sealed partial class StorageFailureFilter(ILogger<StorageFailureFilter> logger) : IIncomingGrainCallFilter
{
    public async Task Invoke(IIncomingGrainCallContext context)
    {
        try
        {
            await context.Invoke();
        }
        catch (Exception ex) when (StorageFailures.Is(ex))
        {
            LogStorageFailure(logger, ex, context.TargetContext.GrainId.ToString(), context.MethodName);
            context.TargetContext.Deactivate(new DeactivationReason(DeactivationReasonCode.ApplicationError, "grid storage failed; unwritten state discarded"));
            throw ex as StorageUnavailableException ?? new StorageUnavailableException();
        }
        catch (Exception ex) when (ClusterFailures.Unsendable(ex) is { } timeout)
        {
            LogClusterFailure(logger, ex, context.TargetContext.GrainId.ToString(), context.MethodName);
            context.TargetContext.Deactivate(new DeactivationReason(DeactivationReasonCode.ApplicationError, "another silo could not be reached; unwritten state discarded"));
            throw timeout;
        }
        catch (Exception ex) when (Find<AuditEventConflictException>(ex) is { } conflict)
        {
            LogConflict(logger, context.TargetContext.GrainId.ToString(), context.MethodName, conflict.Message);
            context.TargetContext.Deactivate(new DeactivationReason(DeactivationReasonCode.ApplicationError, "audit event conflict"));
            throw new RequestConflictException();
        }
    }

    internal static T? Find<T>(Exception? ex)
        where T : Exception
    {
        for (; ex is not null; ex = ex.InnerException)
        {
            if (ex is T found)
            {
                return found;
            }
        }

        return null;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Grain}.{Method}: grid storage failed; the activation is deactivated and the caller told to retry")]
    private static partial void LogStorageFailure(ILogger logger, Exception ex, string grain, string method);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Grain}.{Method}: another silo could not be reached; the activation is deactivated and the caller told to retry")]
    private static partial void LogClusterFailure(ILogger logger, Exception ex, string grain, string method);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Grain}.{Method}: {Conflict}")]
    private static partial void LogConflict(ILogger logger, string grain, string method, string conflict);
}

/// <summary>What counts as a storage failure: PostgreSQL errors and timeouts (also when Orleans wraps them), and a callee's own storage failure.</summary>
public static class StorageFailures
{
    public static bool Is(Exception ex) =>
        StorageFailureFilter.Find<StorageUnavailableException>(ex) is not null
        || StorageFailureFilter.Find<NpgsqlException>(ex) is not null
        || StorageFailureFilter.Find<InconsistentStateException>(ex) is not null;
}

/// <summary>
/// Cluster failures Orleans cannot send back to the caller. Orleans places and addresses grains through a Polly
/// pipeline; when a silo dies it gives up with Polly's <c>TimeoutRejectedException</c>, which Orleans has no codec for:
/// the answer then fails to serialize and the gateway sees an unknown error (INTERNAL). Found by the chaos run.
/// </summary>
public static class ClusterFailures
{
    /// <summary>A <see cref="TimeoutException"/> to send instead, or null when the failure is not one of these.</summary>
    public static TimeoutException? Unsendable(Exception ex) =>
        StorageFailureFilter.Find<Polly.Timeout.TimeoutRejectedException>(ex) is { } rejected
            ? new TimeoutException("A call to another silo timed out; nothing was acknowledged: " + rejected.Message)
            : null;
}
