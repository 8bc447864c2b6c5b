using System.Diagnostics.Metrics;

namespace RealName.Gateway.Hosting;

/// <summary>
/// The gateway's metrics (meter <c>RealName.Gateway</c>): every refusal answered, by reason and status, and the
/// calls the rate limits turned away. Tags are reason codes and gRPC status names only.
/// </summary>
public static class GatewayMetrics
{
    public const string MeterName = "RealName.Gateway";

    private static readonly Meter Meter = new(MeterName);

    private static readonly Counter<long> Refusals = Meter.CreateCounter<long>(
        "realname.refusals", unit: "{refusal}", description: "Calls answered with an error, by ErrorInfo reason and gRPC status");

    private static readonly Counter<long> RateLimited = Meter.CreateCounter<long>(
        "realname.rate_limit.rejections", unit: "{call}", description: "Calls refused by the per-caller limits (RATE_LIMITED: token bucket, GRID_BUSY: calls in flight)");

    public static void Refusal(string reason, Google.Rpc.Code status) =>
        Refusals.Add(1, new KeyValuePair<string, object?>("reason", reason), new KeyValuePair<string, object?>("status", status.ToString()));

    public static void RateLimitRejection(string reason) =>
        RateLimited.Add(1, new KeyValuePair<string, object?>("reason", reason));
}
