using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Npgsql;
using RealName.Storage.Reads;

namespace RealName.Storage;

public static class StorageServices
{
    /// <summary>
    /// The write side on one Npgsql data source (connection pool) per process: the audit log (signing
    /// checkpoints with <c>AuditCheckpoints:SigningKey</c> when set), the evidence store, the face-template rows, the enterprises' IoT cards, the subscribers' due work and the pending review cases.
    /// </summary>
    public static IServiceCollection AddRealNameStorage(this IServiceCollection services, string connectionString, IConfiguration configuration)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(_ => NpgsqlDataSource.Create(connectionString));
        services.Configure<AuditCheckpointOptions>(configuration.GetSection(AuditCheckpointOptions.Section));
        var options = Validated<AuditCheckpointOptions>(configuration, AuditCheckpointOptions.Section);
        var chain = Validated<AuditChainOptions>(configuration, AuditChainOptions.Section);

        // A malformed key stops the start-up here, not the first audit append.
        AuditCheckpointSigner.FromOptions(options, TimeProvider.System)?.Dispose();
        services.TryAddSingleton(sp => new AuditLog(
            sp.GetRequiredService<NpgsqlDataSource>(), AuditCheckpointSigner.FromOptions(options, sp.GetRequiredService<TimeProvider>()), chain.Partitions));
        services.TryAddSingleton<EvidenceStore>();
        services.TryAddSingleton<FaceTemplateStore>();
        services.TryAddSingleton<EnterpriseCardStore>();
        services.TryAddSingleton<RestrictedIdentityStore>();
        services.TryAddSingleton<CampaignTargetStore>();
        services.TryAddSingleton<DueWorkStore>();
        services.TryAddSingleton<ReviewCaseStore>();
        services.TryAddSingleton<RecordedReviewDecisions>();
        services.TryAddSingleton<Callers.CallerStore>();
        return services;
    }

    /// <summary>Binds and validates a section now: the audit log is built from it outside the options pipeline.</summary>
    private static TOptions Validated<TOptions>(IConfiguration configuration, string section)
        where TOptions : class, new()
    {
        var options = configuration.GetSection(section).Get<TOptions>() ?? new TOptions();
        var problems = new List<System.ComponentModel.DataAnnotations.ValidationResult>();
        if (!System.ComponentModel.DataAnnotations.Validator.TryValidateObject(options, new(options), problems, validateAllProperties: true))
        {
            throw new Microsoft.Extensions.Options.OptionsValidationException(section, typeof(TOptions), problems.Select(p => p.ErrorMessage ?? section));
        }

        return options;
    }
}
