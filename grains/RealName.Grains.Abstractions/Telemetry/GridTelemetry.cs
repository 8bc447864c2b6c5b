using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace RealName.Grains.Telemetry;

/// <summary>
/// OpenTelemetry for a silo or a gateway, one way for both: our meters and activity sources (<c>RealName.*</c>),
/// Orleans' meter and activity sources, Npgsql and the gRPC client, and OTLP when <see cref="TelemetryOptions.OtlpEndpoint"/>
/// is set. Each host adds what only it has (ASP.NET Core and the Prometheus endpoint on the gateway, the silo's listener).
/// </summary>
public static class GridTelemetry
{
    /// <summary>Every meter and activity source of ours starts with this.</summary>
    public const string OurNames = "RealName.*";

    /// <summary>Orleans' activity sources (Microsoft.Orleans.Application, .Runtime, .Lifecycle, …) and its meter.</summary>
    public const string OrleansNames = "Microsoft.Orleans*";

    public static OpenTelemetryBuilder AddGridTelemetry(this IServiceCollection services, IConfiguration configuration, string serviceName)
    {
        services.AddValidatedOptions<TelemetryOptions>(configuration, TelemetryOptions.Section);
        var options = configuration.GetValidated<TelemetryOptions>(TelemetryOptions.Section);
        var telemetry = services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(serviceName, serviceNamespace: "realname"))
            .WithTracing(tracing => tracing
                .SetSampler(new ParentBasedSampler(new TraceIdRatioBasedSampler(options.TraceSampleRatio)))
                .AddSource(OurNames, OrleansNames)
                .AddProcessor(new PersonalDataScrubber())
                .AddNpgsql()
                .AddGrpcClientInstrumentation())
            .WithMetrics(metrics => metrics
                .AddMeter(OurNames, OrleansNames)
                .AddNpgsqlInstrumentation());
        if (options.OtlpEndpoint is { } endpoint)
        {
            // Traces and metrics only: logs stay on the masked console (Orleans' messages carry grain ids).
            var protocol = options.OtlpProtocol;
            telemetry.WithTracing(tracing => tracing.AddOtlpExporter(o => (o.Endpoint, o.Protocol) = (endpoint, protocol)))
                .WithMetrics(metrics => metrics.AddOtlpExporter(o => (o.Endpoint, o.Protocol) = (endpoint, protocol)));
        }

        return telemetry;
    }
}
