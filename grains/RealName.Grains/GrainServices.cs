using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using RealName.Face;
using RealName.Storage.Sealing;

namespace RealName.Grains;

/// <summary>Services the grains depend on, registered the same way by the silo and the test clusters.</summary>
public static class GrainServices
{
    public static IServiceCollection AddRealNameGrainServices(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddRuleBook(configuration);
        services.AddValidatedOptions<Storage.EvidenceOptions>(configuration, Storage.EvidenceOptions.Section);
        services.AddValidatedOptions<Identities.SelfServiceOptions>(configuration, Identities.SelfServiceOptions.Section);
        services.AddValidatedOptions<Retention.RetentionOptions>(configuration, Retention.RetentionOptions.Section);
        services.AddValidatedOptions<FaceIndex.FaceIndexOptions>(configuration, FaceIndex.FaceIndexOptions.Section);
        services.AddValidatedOptions<Attempts.AttemptLimitOptions>(configuration, Attempts.AttemptLimitOptions.Section);
        services.AddValidatedOptions<FraudReports.FraudReportOptions>(configuration, FraudReports.FraudReportOptions.Section);
        services.AddValidatedOptions<Outlets.OutletAccountabilityOptions>(configuration, Outlets.OutletAccountabilityOptions.Section);
        services.AddValidatedOptions<DueWork.DueWorkOptions>(configuration, DueWork.DueWorkOptions.Section);
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, DueWork.DueWorkStartup>();
        services.AddOptions<Liveness.LivenessOptions>().Bind(configuration.GetSection(Liveness.LivenessOptions.Section))
            .Validate(Liveness.LivenessVerifier.KeysAreUsable).ValidateOnStart();
        services.TryAddSingleton<Liveness.LivenessVerifier>();
        services.AddSealing(configuration);
        services.AddFaceEngine(configuration);
        services.AddSingleton<IIncomingGrainCallFilter, StorageFailureFilter>();
        services.AddPlacementDirector<Placement.AuditPartitionPlacement, Placement.AuditPartitionPlacementDirector>();
        return services;
    }
}
