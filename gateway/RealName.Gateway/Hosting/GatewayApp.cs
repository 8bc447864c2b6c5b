using Microsoft.Extensions.DependencyInjection.Extensions;
using Orleans.Configuration;
using RealName.Gateway.Errors;
using RealName.Gateway.Identity;
using RealName.Gateway.Security;
using RealName.Gateway.Services;
using RealName.Storage.Reads;

namespace RealName.Gateway.Hosting;

/// <summary>Builds the gateway: gRPC services, health, reflection and an Orleans client on ADO.NET clustering.</summary>
public static class GatewayApp
{
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        configure?.Invoke(builder);

        var connectionString = builder.Configuration.GetConnectionString(DatabaseOptions.ConnectionStringName);
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new InvalidOperationException(
                $"ConnectionStrings:{DatabaseOptions.ConnectionStringName} is not set: the gateway finds silos through the PostgreSQL membership table.");
        }

        var cluster = builder.Configuration.GetSection("Cluster");
        builder.UseOrleansClient(client =>
        {
            client.Configure<ClusterOptions>(o =>
            {
                o.ClusterId = cluster["ClusterId"] ?? "realname-dev";
                o.ServiceId = cluster["ServiceId"] ?? "realname";
            });
            client.UseAdoNetClustering(o =>
            {
                o.Invariant = DatabaseOptions.AdoNetInvariant;
                o.ConnectionString = connectionString;
            });
            client.UseConnectionRetryFilter<ClusterConnectionRetry>();
            // How quickly the gateway notices silos that joined or left (Cluster:GatewayListRefreshPeriod).
            client.Configure<GatewayOptions>(cluster);
        });

        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.Configure<IdentityOptions>(builder.Configuration.GetSection(IdentityOptions.Section));
        builder.Services.AddSingleton<IdentityProtector>();
        builder.Services.Configure<AuthOptions>(builder.Configuration.GetSection(AuthOptions.Section));
        builder.Services.AddAuthentication(ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
        builder.Services.AddAuthorization();
        builder.Services.AddCallerRateLimits(builder.Configuration);
        builder.Services.AddGrpc(o => o.Interceptors.Add<ErrorInterceptor>());
        builder.Services.AddRequestLimits(builder.Configuration);
        builder.Services.AddGrpcReflection();
        builder.Services.AddGrpcHealthChecks().AddCheck<ClusterHealthCheck>("cluster");
        builder.Services.AddAuditing(connectionString, builder.Configuration);

        var app = builder.Build();
        // Fail at start-up, not at the first call, when the identity key is missing.
        _ = app.Services.GetRequiredService<IdentityProtector>();

        app.UseMiddleware<RequestMessageGuard>();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRateLimiter();
        app.MapGrpcService<RegistrationGrpcService>();
        app.MapGrpcService<RiskGrpcService>();
        app.MapGrpcService<SelfServiceGrpcService>();
        app.MapGrpcService<ReviewGrpcService>();
        app.MapAuditing();
        app.MapGrpcHealthChecksService();
        app.MapGrpcReflectionService();
        app.MapHealthChecks("/healthz");
        return app;
    }
}
