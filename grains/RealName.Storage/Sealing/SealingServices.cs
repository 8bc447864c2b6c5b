using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace RealName.Storage.Sealing;

/// <summary>Envelope encryption for the processes that write personal data (the silos and the key tool).</summary>
public static class SealingServices
{
    public static IServiceCollection AddSealing(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<SealingOptions>()
            .Bind(configuration.GetSection(SealingOptions.Section))
            .Validate(o => TryMasterKey(o), "Sealing:MasterKey must be set to a base64 AES-256 key (32 bytes); scripts/run-grid.sh generates one under the data folder")
            .Validate(o => o.KeyRefreshInterval > TimeSpan.Zero, "Sealing:KeyRefreshInterval must be positive")
            .ValidateOnStart();
        services.TryAddSingleton<DataKeyRing>();
        services.TryAddSingleton<Sealer>();
        services.AddHostedService<DataKeyLoader>();
        return services;
    }

    private static bool TryMasterKey(SealingOptions options)
    {
        try
        {
            return options.MasterKeyBytes().Length == 32;
        }
        catch (Exception ex) when (ex is InvalidOperationException or FormatException)
        {
            return false;
        }
    }

    /// <summary>Loads (or, in a new database, creates) the data keys before the silo serves.</summary>
    private sealed class DataKeyLoader(DataKeyRing keys) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => keys.LoadAsync(cancellationToken);

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
