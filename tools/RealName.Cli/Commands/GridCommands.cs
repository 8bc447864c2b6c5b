using System.CommandLine;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Grpc.Net.Client;

namespace RealName.Cli.Commands;

/// <summary>`realname grid ...`: drive a running grid over gRPC.</summary>
internal static class GridCommands
{
    internal static readonly Option<string> AddressOption = new("--address") { Description = "gRPC address of the gateway", DefaultValueFactory = _ => "http://127.0.0.1:50051" };
    internal static readonly Option<string?> KeyOption = new("--key") { Description = "API key (default: REALNAME_API_KEY; for bench, the RETAIL_TERMINAL key, else the secrets file's)" };

    public static Command Create()
    {
        var grid = new Command("grid", "Calls against a running grid");
        grid.Subcommands.Add(ChaosCommand.Create());
        return grid;
    }

    /// <summary>--key, else REALNAME_API_KEY.</summary>
    internal static string ApiKey(ParseResult r, string what) =>
        r.GetValue(KeyOption) ?? Environment.GetEnvironmentVariable("REALNAME_API_KEY")
            ?? throw new InvalidOperationException($"--key or REALNAME_API_KEY ({what}) is required");

    /// <summary>Calls through the returned invoker carry the API key.</summary>
    internal static CallInvoker WithKey(GrpcChannel channel, string key) => channel.Intercept(m =>
    {
        m.Add("x-api-key", key);
        return m;
    });
}
