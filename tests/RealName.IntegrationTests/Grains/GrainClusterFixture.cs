using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Orleans.TestingHost;
using RealName.Grains;
using RealName.IntegrationTests.Infrastructure;
using Orleans.Storage;
using RealName.Storage;
using RealName.Storage.Reads;

namespace RealName.IntegrationTests.Grains;

/// <summary>
/// An in-process Orleans TestingHost cluster (two silos) running the real grains, the real face engine
/// and the real audit log on a fresh PostgreSQL database (as the grid's least-privilege role), with
/// in-memory grain storage behind <see cref="FaultyGrainStorage"/> (so a test can make a state write
/// fail) and a fake clock, so rules that depend on time are tested without sleeps (retention reminders wake every
/// second and act on the fake clock). Raw images are kept here (Evidence:KeepImages)
/// to test that option; the gRPC grids run with the default (off). The 1:N face search is off here: these tests
/// register the same card holder's photos under many identities, which the search rightly flags
/// (<see cref="FaceIndexClusterFixture"/> runs with it on).
/// </summary>
public class GrainClusterFixture : IAsyncLifetime
{
    /// <summary>Shared by every silo of the test cluster (they run in this process).</summary>
    public static FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 11, 22, 8, 0, 0, TimeSpan.Zero));

    private const string GridConnectionKey = "Test:GridConnectionString";
    private TestDatabase? database;
    private TestCluster? cluster;

    public IGrainFactory Grains => cluster!.GrainFactory;

    public TestDatabase Database => database!;

    public TestCluster Cluster => cluster!;

    /// <summary>Settings of this cluster's silos on top of the common ones.</summary>
    protected virtual IReadOnlyDictionary<string, string> Settings { get; } = new Dictionary<string, string>
    {
        ["FaceIndex:SearchAtRegistration"] = "false",
    };

    public async Task InitializeAsync()
    {
        RunLogs.Start();
        database = await TestDatabase.CreateAsync();
        SchemaMigrator.Migrate(database.ConnectionString, NullLogger.Instance);
        var builder = new TestClusterBuilder(initialSilosCount: 2).AddSiloBuilderConfigurator<SiloConfigurator>();
        builder.Properties[GridConnectionKey] = database.GridConnectionString;
        builder.Properties["Sealing:MasterKey"] = database.SealingKey;
        foreach (var (key, value) in Settings)
        {
            builder.Properties[key] = value;
        }

        cluster = builder.Build();
        await cluster.DeployAsync();
    }

    public async Task DisposeAsync()
    {
        if (cluster is not null)
        {
            await cluster.DisposeAsync();
        }

        if (database is not null)
        {
            await database.DisposeAsync();
        }
    }

    private sealed class SiloConfigurator : ISiloConfigurator, IHostConfigurator
    {
        private const string InnerStorage = "memory";

        public void Configure(ISiloBuilder siloBuilder)
        {
            siloBuilder.AddMemoryGrainStorage(InnerStorage);
            siloBuilder.Services.AddKeyedSingleton<IGrainStorage>(
                GrainStorage.Name, (services, _) => new FaultyGrainStorage(services.GetRequiredKeyedService<IGrainStorage>(InnerStorage)));
            siloBuilder.UseInMemoryReminderService();
            // Retention reminders wake every second and compare the fake clock with what is due.
            siloBuilder.Configure<Orleans.Hosting.ReminderOptions>(o => o.MinimumReminderPeriod = TimeSpan.FromSeconds(1));
        }

        public void Configure(IHostBuilder hostBuilder) =>
            hostBuilder.ConfigureServices((context, services) =>
            {
                // The builder's properties (database, sealing key, the fixture's settings) come through the host configuration.
                var configuration = new ConfigurationBuilder()
                    .AddInMemoryCollection(new Dictionary<string, string?>
                    {
                        ["Face:PoolSize"] = "1",
                        // These tests check rules, not capacity (GRID_BUSY has its own tests): one engine on a loaded
                        // CI machine must not turn a slow queue into a refusal.
                        ["Face:MaxQueueWait"] = "00:02:00",
                        ["Evidence:KeepImages"] = "true",
                        // The due-work sweepers look every second (of the fake clock: see the class summary).
                        ["DueWork:SweepInterval"] = "00:00:01",
                        // An hour, not the default 2 years: advancing the fake clock fires the silos' periodic timers for every period passed.
                        ["Retention:AfterServiceEnd"] = "01:00:00",
                        ["Retention:AfterRefusal"] = "01:30:00",
                        // Fraud-report cases look every second and cancel a number suspended for an hour of the fake clock.
                        ["FraudReports:CheckInterval"] = "00:00:01",
                        ["FraudReports:CancelAfter"] = "01:00:00",
                        ["AuditCheckpoints:SigningKey"] = TestEnvironment.CheckpointKeys.SigningKey,
                        ["AuditCheckpoints:PublicKey"] = TestEnvironment.CheckpointKeys.PublicKey,
                        // Every grain test registers from one test device on a clock that hardly moves; the attempt
                        // limits have their own tests (AttemptLimitTests).
                        ["AttemptLimits:PerDevicePerMinute"] = "0",
                        ["AttemptLimits:PerDevicePerDay"] = "0",
                    })
                    .AddInMemoryCollection(LivenessSdk.SiloSettings.Select(s => KeyValuePair.Create(s.Key, (string?)s.Value)))
                    .AddConfiguration(context.Configuration)
                    .Build();
                var connectionString = configuration[GridConnectionKey]!;
                services.AddSingleton<TimeProvider>(Clock);
                services.AddRealNameStorage(connectionString, configuration);
                services.AddAuditReads(connectionString, configuration);
                services.AddRealNameGrainServices(configuration);
            });
    }
}

[CollectionDefinition(Name)]
public sealed class GrainClusterCollection : ICollectionFixture<GrainClusterFixture>
{
    public const string Name = "grain-cluster";
}
