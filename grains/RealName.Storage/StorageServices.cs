using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Npgsql;

namespace RealName.Storage;

public static class StorageServices
{
    /// <summary>One Npgsql data source (connection pool) per process, and the audit log on it.</summary>
    public static IServiceCollection AddRealNameStorage(this IServiceCollection services, string connectionString)
    {
        services.TryAddSingleton(_ => NpgsqlDataSource.Create(connectionString));
        services.TryAddSingleton<AuditLog>();
        services.TryAddSingleton<EvidenceStore>();
        services.TryAddSingleton<Callers.CallerStore>();
        services.TryAddSingleton<Callers.CallerDirectory>();
        return services;
    }
}
