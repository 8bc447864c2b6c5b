using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using Orleans.Dashboard;
using OpenTelemetry.Metrics;
using RealName.Grains.Telemetry;
using RealName.Grains;
using RealName.Grains.Logging;
using RealName.Storage;
using RealName.Storage.Sealing;
using RealName.Storage.Reads;

namespace RealName.Silo;

/// <summary>
/// Everything a RealName silo needs, in one place for the executable and the tests: the schema migration
/// (a hosted service that runs before Orleans starts), ADO.NET clustering, grain storage and reminders
/// on PostgreSQL, the audit log's write side with its checkpoints, and the grains' own services.
/// </summary>
public static class SiloSetup
{
    public static HostApplicationBuilder AddRealNameSilo(this HostApplicationBuilder builder)
    {
        var connectionString = builder.Configuration.GetConnectionString(DatabaseOptions.ConnectionStringName);
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new InvalidOperationException(
                $"ConnectionStrings:{DatabaseOptions.ConnectionStringName} is not set. " +
                "Start the grid with scripts/run-grid.sh, or set ConnectionStrings__RealName to a PostgreSQL connection string.");
        }

        connectionString = DatabaseOptions.Pooled(connectionString);

        // Console logs mask phone and ID numbers, Orleans' grain ids and exceptions included.
        builder.Logging.AddMaskedConsole();

        // Registered before Orleans: it migrates in the host's "starting" phase, before the silo joins the cluster.
        builder.Services.AddHostedService<SchemaMigrationService>();

        var cluster = builder.Configuration.GetValidated<OrleansClusterOptions>(OrleansClusterOptions.Section);
        builder.Services.AddRealNameStorage(connectionString, builder.Configuration);
        builder.Services.AddAuditReads(connectionString, builder.Configuration);
        builder.Services.AddHostedService<AuditCheckpointService>();
        builder.Services.AddRealNameGrainServices(builder.Configuration);
        // Reminder granularity is configuration: tests shorten it to exercise deadlines without long sleeps.
        builder.Services.Configure<ReminderOptions>(builder.Configuration.GetSection("Cluster:Reminders"));

        builder.Services.AddGridFailureSerialization();
        var telemetry = builder.Services.AddGridTelemetry(builder.Configuration, "realname-silo");
        var telemetryOptions = builder.Configuration.GetValidated<TelemetryOptions>(TelemetryOptions.Section);
        if (telemetryOptions.SiloMetricsUrl is { } metricsUrl)
        {
            // The silo has no web host: Prometheus scrapes <url>metrics from a listener of its own.
            telemetry.WithMetrics(metrics => metrics.AddPrometheusHttpListener(o => (o.Host, o.Port) = (metricsUrl.Host, metricsUrl.Port)));
        }

        builder.UseOrleans(silo =>
        {
            silo.Configure<ClusterOptions>(o =>
            {
                o.ClusterId = cluster.ClusterId;
                o.ServiceId = cluster.ServiceId;
            });
            silo.ConfigureEndpoints(IPAddress.Parse(cluster.AdvertisedIPAddress), cluster.SiloPort, cluster.GatewayPort, listenOnAnyHostAddress: false);
            silo.UseAdoNetClustering(o =>
            {
                o.Invariant = DatabaseOptions.AdoNetInvariant;
                o.ConnectionString = connectionString;
            });
            silo.AddAdoNetGrainStorage(GrainStorage.Name, storage => storage.Configure<Sealer>((o, sealer) =>
            {
                o.Invariant = DatabaseOptions.AdoNetInvariant;
                o.ConnectionString = connectionString;
                o.GrainStorageSerializer = new JsonGrainStorageSerializer(sealer);
            }));
            silo.UseAdoNetReminderService(o =>
            {
                o.Invariant = DatabaseOptions.AdoNetInvariant;
                o.ConnectionString = connectionString;
            });
            // Traces continue from the gateway through the grains; the dashboard's statistics, when it is on, are
            // collected here and shown by the gateway (/dashboard, ADMIN role).
            silo.AddActivityPropagation();
            if (telemetryOptions.Dashboard)
            {
                silo.AddDashboard();
            }
            if (cluster.Kubernetes)
            {
                silo.UseKubernetesHosting();
            }
        });
        return builder;
    }
}
