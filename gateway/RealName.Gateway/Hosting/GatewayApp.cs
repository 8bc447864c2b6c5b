using Microsoft.Extensions.DependencyInjection.Extensions;
using Orleans.Configuration;
using Orleans.Dashboard;
using RealName.Grains;
using RealName.Grains.Logging;
using RealName.Grains.Telemetry;
using RealName.Gateway.Identity;
using RealName.Gateway.Services;
using RealName.Storage.Reads;

namespace RealName.Gateway.Hosting;

/// <summary>Builds the gateway: gRPC services, health, reflection and an Orleans client on ADO.NET clustering.</summary>
public static class GatewayApp
{
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.Logging.AddMaskedConsole();
        // gRPC logs every error status it sends, detail included, at Information: the details echo what the caller
        // sent (an outlet id, an unknown event type), which may be a name or a formatted number the masks miss. The
        // client has its answer and the metrics count it; only the handler's warnings and errors are logged.
        builder.Logging.AddFilter("Grpc.AspNetCore.Server.ServerCallHandler", LogLevel.Warning);
        configure?.Invoke(builder);

        var connectionString = builder.Configuration.GetConnectionString(DatabaseOptions.ConnectionStringName);
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new InvalidOperationException(
                $"ConnectionStrings:{DatabaseOptions.ConnectionStringName} is not set: the gateway finds silos through the PostgreSQL membership table.");
        }

        connectionString = DatabaseOptions.Pooled(connectionString);

        var cluster = builder.Configuration.GetSection("Cluster");
        var dashboard = builder.Configuration.GetValidated<TelemetryOptions>(TelemetryOptions.Section).Dashboard;
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
            // Traces continue from the gateway into the grains; the dashboard, when it is on, reads the silos' statistics.
            client.AddActivityPropagation();
            if (dashboard)
            {
                client.AddDashboard();
            }

            // How quickly the gateway notices silos that joined or left (Cluster:GatewayListRefreshPeriod).
            client.Configure<GatewayOptions>(cluster);
        });

        builder.Services.AddGridFailureSerialization();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddCivilCalendar(builder.Configuration);
        builder.Services.AddValidatedOptions<IdentityOptions>(builder.Configuration, IdentityOptions.Section);
        builder.Services.AddSingleton<IdentityProtector>();
        builder.Services.AddSingleton<HolderProofs>();
        builder.AddCallerAuthentication();
        builder.Services.AddCallerRateLimits(builder.Configuration);
        builder.Services.AddGrpc(o =>
        {
            o.Interceptors.Add<ErrorInterceptor>();
            o.Interceptors.Add<CallerContextInterceptor>();
            o.Interceptors.Add<Validation.FieldLengthInterceptor>();
        });
        builder.Services.AddRequestLimits(builder.Configuration);
        builder.Services.AddGrpcReflection();
        builder.Services.AddGrpcHealthChecks().AddCheck<ClusterHealthCheck>("cluster");
        builder.Services.AddAuditing(connectionString, builder.Configuration);
        builder.AddOperations();

        var app = builder.Build();
        // Fail at start-up, not at the first call, when the identity key is missing.
        _ = app.Services.GetRequiredService<IdentityProtector>();

        app.UseMiddleware<MiddlewareFaultGuard>();
        app.UseMiddleware<RequestMessageGuard>();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRateLimiter();
        app.MapGrpcService<RegistrationGrpcService>();
        app.MapGrpcService<RiskGrpcService>();
        app.MapGrpcService<SelfServiceGrpcService>();
        app.MapGrpcService<ReviewGrpcService>();
        app.MapGrpcService<AdminGrpcService>();
        app.MapAuditing();
        app.MapWorkbench();
        app.MapOperations();
        // Everything else needs a caller (the fallback policy); these are open on purpose.
        app.MapGrpcHealthChecksService().AllowAnonymous();
        app.MapGrpcReflectionService().AllowAnonymous();
        app.MapHealthChecks("/healthz").AllowAnonymous();
        return app;
    }
}
