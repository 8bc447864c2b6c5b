using System.ComponentModel.DataAnnotations;
using OpenTelemetry.Exporter;

namespace RealName.Grains.Telemetry;

/// <summary>Metrics and traces (section "Telemetry"), the same keys on the silo and the gateway.</summary>
public sealed class TelemetryOptions : IValidatableObject
{
    public const string Section = "Telemetry";

    /// <summary>OTLP collector to send traces and metrics to (e.g. http://otel-collector:4317); unset: no OTLP export.</summary>
    public Uri? OtlpEndpoint { get; set; }

    /// <summary>OTLP transport: Grpc (port 4317) or HttpProtobuf (port 4318).</summary>
    public OtlpExportProtocol OtlpProtocol { get; set; } = OtlpExportProtocol.Grpc;

    /// <summary>Gateway: serve Prometheus' text format at /metrics on the web port.</summary>
    public bool PrometheusEndpoint { get; set; } = true;

    /// <summary>Silo: a URL prefix (http://127.0.0.1:9464/) whose /metrics serves the silo's metrics to Prometheus; unset: none.</summary>
    public Uri? SiloMetricsUrl { get; set; }

    /// <summary>
    /// Silo and gateway: the Orleans dashboard (/dashboard on the gateway's web port, ADMIN role). Off unless set, on
    /// every host of the grid at once: once a second it reads all of Orleans' gauges, and two of them (the activation
    /// count and the grain directory's cache size) walk every activation the silo holds. On an idle silo with 58,000
    /// activations that was 61 % of its CPU (6 % of a core), and it grows with the activations. Prometheus reads the
    /// same gauges only when it scrapes.
    /// </summary>
    public bool Dashboard { get; set; }

    /// <summary>Share of new traces kept (a trace started upstream keeps its caller's decision).</summary>
    [Range(0.0, 1.0, ErrorMessage = "Telemetry:TraceSampleRatio must be between 0 and 1.")]
    public double TraceSampleRatio { get; set; } = 1.0;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (OtlpEndpoint is { IsAbsoluteUri: false } || OtlpEndpoint is { Scheme: not ("http" or "https") })
        {
            yield return new ValidationResult("Telemetry:OtlpEndpoint must be an absolute http:// or https:// URL.", [nameof(OtlpEndpoint)]);
        }

        if (SiloMetricsUrl is { IsAbsoluteUri: false } || SiloMetricsUrl is { Scheme: not "http" } || SiloMetricsUrl is { AbsolutePath: not "/" })
        {
            yield return new ValidationResult("Telemetry:SiloMetricsUrl must be an http:// URL with no path, such as http://127.0.0.1:9464/.", [nameof(SiloMetricsUrl)]);
        }
    }
}
