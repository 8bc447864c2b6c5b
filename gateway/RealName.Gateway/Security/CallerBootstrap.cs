using System.Collections.Immutable;
using Microsoft.Extensions.Options;
using RealName.Grains;
using RealName.Grains.Callers;
using RealName.Rules;

namespace RealName.Gateway.Security;

/// <summary>
/// Seeds the configured bootstrap callers (Auth:Bootstrap) through their caller grains at start, so a
/// fresh grid has a first administrator. Only the key's hash is stored; a name that exists with another
/// key is left alone (logged), so revoking or re-issuing a bootstrap caller survives restarts.
/// </summary>
public sealed partial class CallerBootstrap(IClusterClient cluster, IOptions<AuthOptions> options, ILogger<CallerBootstrap> logger) : IHostedService
{
    public const string Actor = CallerDefinition.BootstrapActor;
    private const int MinKeyLength = 16;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        CallerContext.Set(Actor);
        foreach (var configured in options.Value.Bootstrap)
        {
            if (configured.Key.Length < MinKeyLength)
            {
                throw new InvalidOperationException($"Auth:Bootstrap caller '{configured.Name}': Key must be at least {MinKeyLength} characters.");
            }

            var definition = new CallerDefinition(configured.Name, configured.Role, [.. configured.CarrierIds], [.. configured.OutletIds],
                string.IsNullOrWhiteSpace(configured.ChannelKind) ? null : configured.ChannelKind.Trim(), [.. configured.DeviceIds]).Normalized();
            var refusal = await cluster.GetGrain<ICallerGrain>(definition.Name).Issue(definition, ApiKeys.Hash(configured.Key));
            switch (refusal is null ? null : WireReasons.Parse(refusal.Code))
            {
                case null when refusal is null:
                    break;
                case ReasonCode.CallerNameTaken:
                    LogKept(logger, definition.Name);
                    break;
                default:
                    throw new InvalidOperationException($"Auth:Bootstrap caller '{configured.Name}': {refusal!.Message}");
            }
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Auth:Bootstrap caller {Name} exists with another key; the stored caller is kept")]
    private static partial void LogKept(ILogger logger, string name);
}
