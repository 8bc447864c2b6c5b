using System.Security.Cryptography;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.EnvironmentVariables;
using RealName.Gateway.Hosting;

namespace RealName.IntegrationTests.Infrastructure;

/// <summary>The real gateway (GatewayApp) in this process, listening on free loopback ports.</summary>
public sealed class GatewayServer : IAsyncDisposable
{
    private readonly WebApplication app;

    private GatewayServer(WebApplication app, int grpcPort, int webPort)
    {
        this.app = app;
        GrpcAddress = new Uri($"http://127.0.0.1:{grpcPort}");
        WebAddress = new Uri($"http://127.0.0.1:{webPort}");
        Channel = GrpcChannel.ForAddress(GrpcAddress);
    }

    public Uri GrpcAddress { get; }

    public Uri WebAddress { get; }

    public GrpcChannel Channel { get; }

    public IServiceProvider Services => app.Services;

    /// <summary>A client of the web port as a browser would be without cookies: redirects are answers, not followed.</summary>
    public HttpClient Web(string? role)
    {
        var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = WebAddress };
        if (role is not null)
        {
            client.DefaultRequestHeaders.Add("x-api-key", KeyFor(role));
        }

        return client;
    }

    public static IReadOnlyList<string> AllRoles { get; } = global::RealName.Grains.Callers.CallerRoles.All;

    /// <summary>The carriers the tests' sales callers act for (their outlets and devices are unrestricted).</summary>
    public static IReadOnlyList<string> TestCarriers { get; } = ["cmcc", "mvno-x", "mvno-y"];

    /// <summary>The API key of the test caller of a role (test-only values, seeded as Auth:Bootstrap callers).</summary>
    public static string KeyFor(string role) => "test-key-for-" + role;

    /// <summary>The test caller's name for a role: what the grid records as the actor.</summary>
    public static string NameFor(string role) => "test-" + role.ToLowerInvariant().Replace('_', '-');

    /// <summary>Calls made through the returned invoker carry the role's test caller's API key.</summary>
    public CallInvoker As(string role) => WithKey(KeyFor(role));

    /// <summary>Calls made through the returned invoker carry this API key.</summary>
    public CallInvoker WithKey(string apiKey) => WithKey(Channel, apiKey);

    /// <summary>Calls made through the returned invoker, on <paramref name="channel"/> (a connection of its own), carry this API key.</summary>
    public static CallInvoker WithKey(ChannelBase channel, string apiKey) =>
        channel.Intercept(metadata =>
        {
            metadata.Add("x-api-key", apiKey);
            return metadata;
        });

    /// <summary>Starts the gateway; <paramref name="configure"/> may add to its services (e.g. an in-memory telemetry exporter).</summary>
    public static async Task<GatewayServer> StartAsync(
        TestDatabase database, string clusterId, IReadOnlyDictionary<string, string?>? extra = null, Action<WebApplicationBuilder>? configure = null)
    {
        RunLogs.Start();
        var grpcPort = FreePort.Next();
        var webPort = FreePort.Next();
        var settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:RealName"] = database.GridConnectionString,
            ["AuditCheckpoints:PublicKey"] = TestEnvironment.CheckpointKeys.PublicKey,
            ["Cluster:ClusterId"] = clusterId,
            ["Cluster:GatewayListRefreshPeriod"] = "00:00:02",
            ["Identity:HmacKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            ["Kestrel:Endpoints:Grpc:Url"] = $"http://127.0.0.1:{grpcPort}",
            ["Kestrel:Endpoints:Grpc:Protocols"] = "Http2",
            ["Kestrel:Endpoints:Web:Url"] = $"http://127.0.0.1:{webPort}",
            ["Kestrel:Endpoints:Web:Protocols"] = "Http1",
        };
        var index = 0;
        foreach (var role in AllRoles)
        {
            settings[$"Auth:Bootstrap:{index}:Name"] = NameFor(role);
            settings[$"Auth:Bootstrap:{index}:Key"] = KeyFor(role);
            settings[$"Auth:Bootstrap:{index}:Role"] = role;
            if (role is Roles.RetailTerminal or Roles.OnlineSales)
            {
                for (var c = 0; c < TestCarriers.Count; c++)
                {
                    settings[$"Auth:Bootstrap:{index}:CarrierIds:{c}"] = TestCarriers[c];
                }
            }

            index++;
        }

        foreach (var (key, value) in extra ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        var app = GatewayApp.Build([], builder =>
        {
            // Hermetic: the shell's variables (scripts/test.sh exports the local grid's secrets, whose
            // Auth:Bootstrap entries would merge into ours by index) must not configure a test grid.
            foreach (var source in builder.Configuration.Sources.OfType<EnvironmentVariablesConfigurationSource>().ToList())
            {
                builder.Configuration.Sources.Remove(source);
            }

            builder.Configuration.AddInMemoryCollection(settings);
            configure?.Invoke(builder);
        });
        await app.StartAsync();
        return new GatewayServer(app, grpcPort, webPort);
    }

    public async ValueTask DisposeAsync()
    {
        Channel.Dispose();
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
