using System.Security.Claims;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;

namespace RealName.Gateway.Security;

/// <summary>Per-caller request budget, bound from configuration section "RateLimits".</summary>
public sealed class RateLimitOptions
{
    public const string Section = "RateLimits";

    /// <summary>Sustained requests per second per caller (API key name; client address when anonymous). 0 turns limiting off.</summary>
    public int PermitsPerSecond { get; set; } = 100;

    /// <summary>Requests a caller may send at once above the sustained rate.</summary>
    public int Burst { get; set; } = 200;
}

/// <summary>
/// One terminal or flow cannot starve the others: a token bucket per caller. Over budget, gRPC calls get
/// RESOURCE_EXHAUSTED (retry later), web requests 429. Health checks are never limited.
/// </summary>
public static class RateLimits
{
    public static IServiceCollection AddCallerRateLimits(this IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetSection(RateLimitOptions.Section).Get<RateLimitOptions>() ?? new RateLimitOptions();
        services.AddRateLimiter(limiter =>
        {
            limiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
            {
                if (options.PermitsPerSecond <= 0 || context.Request.Path.StartsWithSegments("/grpc.health.v1.Health") || context.Request.Path.StartsWithSegments("/healthz"))
                {
                    return RateLimitPartition.GetNoLimiter("unlimited");
                }

                var caller = context.User.FindFirstValue(ClaimTypes.Name) ?? "anonymous:" + context.Connection.RemoteIpAddress;
                return RateLimitPartition.GetTokenBucketLimiter(caller, _ => new TokenBucketRateLimiterOptions
                {
                    TokenLimit = Math.Max(1, options.Burst),
                    TokensPerPeriod = options.PermitsPerSecond,
                    ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                    QueueLimit = 0,
                    AutoReplenishment = true,
                });
            });
            limiter.OnRejected = (context, _) =>
            {
                var response = context.HttpContext.Response;
                if (context.HttpContext.Request.ContentType?.StartsWith("application/grpc", StringComparison.Ordinal) == true)
                {
                    // A trailers-only gRPC response: status in the headers, no body.
                    response.StatusCode = StatusCodes.Status200OK;
                    response.ContentType = "application/grpc";
                    response.Headers["grpc-status"] = ((int)Grpc.Core.StatusCode.ResourceExhausted).ToString(System.Globalization.CultureInfo.InvariantCulture);
                    response.Headers["grpc-message"] = "rate limit exceeded; retry later";
                }
                else
                {
                    response.StatusCode = StatusCodes.Status429TooManyRequests;
                }

                return ValueTask.CompletedTask;
            };
        });
        return services;
    }
}
