using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Npgsql;
using RealName.Rules;

namespace RealName.Storage.Reads;

public static class ReadServices
{
    /// <summary>
    /// The read side on the process's one Npgsql data source: the auditors' queries (bucketed in the
    /// registered <see cref="CivilCalendar"/>, verifying checkpoint signatures with
    /// <c>AuditCheckpoints:PublicKey</c> when it is set), the risk operators' face clusters and suspended outlets, and the caller directory authentication reads.
    /// </summary>
    public static IServiceCollection AddAuditReads(this IServiceCollection services, string connectionString, IConfiguration configuration)
    {
        services.TryAddSingleton(_ => NpgsqlDataSource.Create(connectionString));
        var options = configuration.GetSection(AuditCheckpointOptions.Section).Get<AuditCheckpointOptions>() ?? new AuditCheckpointOptions();
        var verifier = AuditCheckpointVerifier.FromOptions(options);
        services.TryAddSingleton(sp => new AuditReports(sp.GetRequiredService<NpgsqlDataSource>(), sp.GetRequiredService<CivilCalendar>(), verifier));
        services.TryAddSingleton<CallerDirectory>();
        services.TryAddSingleton<FaceClusters>();
        services.TryAddSingleton<SuspendedOutlets>();
        return services;
    }
}
