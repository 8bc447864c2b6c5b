using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Npgsql;

namespace RealName.Storage.Reads;

public static class ReadServices
{
    /// <summary>
    /// The auditors' queries on the process's one Npgsql data source, verifying checkpoint signatures with
    /// <c>AuditCheckpoints:PublicKey</c> when it is set.
    /// </summary>
    public static IServiceCollection AddAuditReads(this IServiceCollection services, string connectionString, IConfiguration configuration)
    {
        services.TryAddSingleton(_ => NpgsqlDataSource.Create(connectionString));
        var options = configuration.GetSection(AuditCheckpointOptions.Section).Get<AuditCheckpointOptions>() ?? new AuditCheckpointOptions();
        var verifier = AuditCheckpointVerifier.FromOptions(options);
        services.TryAddSingleton(sp => new AuditReports(sp.GetRequiredService<NpgsqlDataSource>(), verifier));
        return services;
    }
}
