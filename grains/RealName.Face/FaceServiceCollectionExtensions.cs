using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace RealName.Face;

public static class FaceServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="IFaceEngine"/> (singleton) with options from the "Face" section, and a hosted service that
    /// loads and verifies the models at start-up so a missing/corrupt model stops the host with an actionable message.
    /// </summary>
    public static IServiceCollection AddFaceEngine(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<FaceOptions>().Bind(configuration.GetSection(FaceOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton(sp => new FaceEngine(sp.GetRequiredService<IOptions<FaceOptions>>().Value, sp.GetService<ILogger<FaceEngine>>()));
        services.AddSingleton<IFaceEngine>(sp => sp.GetRequiredService<FaceEngine>());
        services.AddHostedService<FaceEngineStartupCheck>();
        return services;
    }
}

/// <summary>Creates the engine during host start-up (fail fast on missing/corrupt models).</summary>
internal sealed class FaceEngineStartupCheck(IServiceProvider services) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        _ = services.GetRequiredService<IFaceEngine>();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
