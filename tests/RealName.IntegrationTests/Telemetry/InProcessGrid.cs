using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.EnvironmentVariables;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using RealName.IntegrationTests.Infrastructure;
using RealName.Silo;

namespace RealName.IntegrationTests.Telemetry;

/// <summary>
/// A silo and a gateway in this process (the real SiloSetup and GatewayApp on a fresh database), so one in-memory
/// exporter sees the spans of both: the gateway's telemetry pipeline gets an in-memory exporter for spans and one for
/// metrics, after its own processors. Everything else is as in production: real sockets, PostgreSQL, face models.
/// </summary>
public sealed class InProcessGrid : IAsyncLifetime
{
    private TestDatabase? database;
    private IHost? silo;

    public List<Activity> Spans { get; } = [];

    public List<MetricSnapshot> Metrics { get; } = [];

    public GatewayServer Gateway { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        database = await TestDatabase.CreateAsync();
        var clusterId = "otel-" + Guid.NewGuid().ToString("N")[..8];
        var builder = Host.CreateApplicationBuilder();
        foreach (var source in builder.Configuration.Sources.OfType<EnvironmentVariablesConfigurationSource>().ToList())
        {
            builder.Configuration.Sources.Remove(source);
        }

        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:RealName"] = database.GridConnectionString,
            ["ConnectionStrings:RealNameOwner"] = database.ConnectionString,
            ["AuditCheckpoints:SigningKey"] = TestEnvironment.CheckpointKeys.SigningKey,
            ["Sealing:MasterKey"] = database.SealingKey,
            ["Cluster:ClusterId"] = clusterId,
            ["Cluster:SiloPort"] = FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Cluster:GatewayPort"] = FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["FaceIndex:SearchAtRegistration"] = "false",
        });
        builder.AddRealNameSilo();
        silo = builder.Build();
        await silo.StartAsync();

        Gateway = await GatewayServer.StartAsync(database, clusterId, configure: (WebApplicationBuilder gateway) =>
        {
            gateway.Services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddInMemoryExporter(Spans));
            gateway.Services.ConfigureOpenTelemetryMeterProvider(metrics => metrics.AddInMemoryExporter(Metrics));
        });
    }

    /// <summary>The finished spans so far (the exporter appends from other threads).</summary>
    public IReadOnlyList<Activity> SpansNow() => [.. Spans.ToArray().Where(s => s is not null)];

    /// <summary>Exports the gateway's metrics now (every meter in this process: the silo's too) into <see cref="Metrics"/>.</summary>
    public IReadOnlyList<MetricSnapshot> MetricsNow()
    {
        Metrics.Clear();
        Gateway.Services.GetRequiredService<MeterProvider>().ForceFlush();
        return [.. Metrics];
    }

    public async Task DisposeAsync()
    {
        if (Gateway is not null)
        {
            await Gateway.DisposeAsync();
        }

        if (silo is not null)
        {
            await silo.StopAsync();
            silo.Dispose();
        }

        if (database is not null)
        {
            await database.DisposeAsync();
        }
    }
}
