using System.Security.Claims;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using RealName.Gateway.Hosting;
using RealName.Grains;
using RealName.Rules;

namespace RealName.Gateway.Security;

/// <summary>Per-caller request budget, bound from configuration section "RateLimits".</summary>
public sealed class RateLimitOptions
{
    public const string Section = "RateLimits";

    /// <summary>Sustained requests per second per caller (API key name; client address when anonymous). 0 turns limiting off.</summary>
    [System.ComponentModel.DataAnnotations.Range(0, 1_000_000, ErrorMessage = "RateLimits:PermitsPerSecond must be between {1} and {2} (0 turns limiting off).")]
    public int PermitsPerSecond { get; set; } = 100;

    /// <summary>Requests a caller may send at once above the sustained rate.</summary>
    [System.ComponentModel.DataAnnotations.Range(0, 1_000_000, ErrorMessage = "RateLimits:Burst must be between {1} and {2}.")]
    public int Burst { get; set; } = 200;

    /// <summary>Calls one caller may have in flight at once; more are refused (GRID_BUSY), not queued. 0 turns it off.</summary>
    [System.ComponentModel.DataAnnotations.Range(0, 100_000, ErrorMessage = "RateLimits:MaxConcurrentCalls must be between {1} and {2} (0 turns it off).")]
    public int MaxConcurrentCalls { get; set; } = 32;
}

/// <summary>
/// One terminal or flow cannot starve the others: a token bucket per caller (over it: RESOURCE_EXHAUSTED,
/// reason RATE_LIMITED) and a cap on its calls in flight (over it: RESOURCE_EXHAUSTED, reason GRID_BUSY).
/// Nothing waits in a queue: the caller retries later. Web requests get 429. Health checks are never limited.
/// </summary>
public static class RateLimits
{

    public static IServiceCollection AddCallerRateLimits(this IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetValidated<RateLimitOptions>(RateLimitOptions.Section);
        services.AddRateLimiter(limiter =>
        {
            limiter.GlobalLimiter = PartitionedRateLimiter.CreateChained(
                PartitionedRateLimiter.Create<HttpContext, string>(context => Unlimited(context) || options.PermitsPerSecond <= 0
                    ? RateLimitPartition.GetNoLimiter("unlimited")
                    : RateLimitPartition.GetTokenBucketLimiter(CallerOf(context), _ => new TokenBucketRateLimiterOptions
                    {
                        TokenLimit = Math.Max(1, options.Burst),
                        TokensPerPeriod = options.PermitsPerSecond,
                        ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                        QueueLimit = 0,
                        AutoReplenishment = true,
                    })),
                PartitionedRateLimiter.Create<HttpContext, string>(context => Unlimited(context) || options.MaxConcurrentCalls <= 0
                    ? RateLimitPartition.GetNoLimiter("unlimited")
                    : RateLimitPartition.GetConcurrencyLimiter(CallerOf(context), _ => new ConcurrencyLimiterOptions
                    {
                        PermitLimit = options.MaxConcurrentCalls,
                        QueueLimit = 0,
                    })));
            limiter.OnRejected = (context, _) =>
            {
                var http = context.HttpContext;
                var byBucket = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter);
                GatewayMetrics.RateLimitRejection((byBucket ? ReasonCode.RateLimited : ReasonCode.GridBusy).Wire());
                if (!TrailersOnlyResponse.IsGrpc(http.Request))
                {
                    http.Response.StatusCode = StatusCodes.Status429TooManyRequests;
                    return ValueTask.CompletedTask;
                }

                // Only the token bucket says when to come back; a full concurrency cap does not.
                var status = byBucket
                    ? GrpcErrors.Status(ReasonCode.RateLimited, "Rate limit exceeded; retry later.",
                        new Dictionary<string, string> { ["retry_after_ms"] = ((long)retryAfter.TotalMilliseconds).ToString(System.Globalization.CultureInfo.InvariantCulture) })
                    : GrpcErrors.Status(ReasonCode.GridBusy, $"Too many calls in flight for this caller (at most {options.MaxConcurrentCalls}); retry later.");
                return new ValueTask(TrailersOnlyResponse.WriteAsync(http.Response, status));
            };
        });
        return services;
    }

    private static bool Unlimited(HttpContext context) =>
        context.Request.Path.StartsWithSegments("/grpc.health.v1.Health") || context.Request.Path.StartsWithSegments("/healthz")
        || context.Request.Path.StartsWithSegments("/metrics");

    private static string CallerOf(HttpContext context) =>
        context.User.FindFirstValue(ClaimTypes.Name) ?? "anonymous:" + context.Connection.RemoteIpAddress;
}
