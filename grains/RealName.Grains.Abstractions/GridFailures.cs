using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;

namespace RealName.Grains;

/// <summary>How grid failures cross the cluster (silo and gateway both call it).</summary>
public static class GridFailureSerialization
{
    /// <summary>
    /// Lets PostgreSQL's exceptions (Npgsql) travel inside Orleans messages. A grain whose activation cannot read its
    /// state fails before any call filter runs, and the failure goes back to the caller with the Npgsql exception
    /// inside: without this the response itself failed to serialize and the client saw INTERNAL instead of a retryable
    /// storage failure (found by `realname grid chaos` restarting PostgreSQL under load).
    /// </summary>
    public static IServiceCollection AddGridFailureSerialization(this IServiceCollection services) =>
        services.Configure<ExceptionSerializationOptions>(o => o.SupportedNamespacePrefixes.Add("Npgsql"));
}

/// <summary>
/// Grid storage (PostgreSQL: grain state or the audit log) failed while serving the call. The grain's
/// unwritten in-memory state was discarded (the activation deactivated), so the request is safe to retry
/// and is evaluated afresh; clients get UNAVAILABLE with reason STORAGE_UNAVAILABLE.
/// </summary>
[GenerateSerializer, Alias("realname.StorageUnavailableException")]
public sealed class StorageUnavailableException : Exception
{
    public StorageUnavailableException()
        : this("Grid storage is temporarily unavailable; nothing was acknowledged, retry the request.")
    {
    }

    public StorageUnavailableException(string message)
        : base(message)
    {
    }

    public StorageUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>
/// A retried request (same idempotency key or request id) differs from the one already recorded: its
/// audit event id is taken by different content. Clients get FAILED_PRECONDITION with reason REQUEST_CONFLICT.
/// </summary>
[GenerateSerializer, Alias("realname.RequestConflictException")]
public sealed class RequestConflictException : Exception
{
    public RequestConflictException()
        : this("This request id was already used for a different request; use a new one.")
    {
    }

    public RequestConflictException(string message)
        : base(message)
    {
    }

    public RequestConflictException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
