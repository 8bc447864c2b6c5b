using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using RealName.Storage.Reads;

namespace RealName.Storage;

/// <summary>
/// Applies the schema scripts when the silo starts, before Orleans (it runs in the host's "starting"
/// phase), as the owner of the tables (<c>ConnectionStrings:RealNameOwner</c>), and logs what it applied.
/// Without an owner connection string it migrates over the grid's own connection and warns: that
/// connection then owns audit_events and could disable its triggers.
/// </summary>
public sealed partial class SchemaMigrationService(IConfiguration configuration, ILogger<SchemaMigrationService> logger) : IHostedLifecycleService
{
    public Task StartingAsync(CancellationToken cancellationToken)
    {
        var owner = configuration.GetConnectionString(DatabaseOptions.OwnerConnectionStringName);
        if (string.IsNullOrWhiteSpace(owner))
        {
            LogNoOwner(logger, DatabaseOptions.OwnerConnectionStringName, DatabaseOptions.ConnectionStringName);
            owner = configuration.GetConnectionString(DatabaseOptions.ConnectionStringName);
        }

        var applied = SchemaMigrator.Migrate(owner!, logger);
        if (applied.Count == 0)
        {
            LogUpToDate(logger);
        }

        foreach (var script in applied)
        {
            LogApplied(logger, script);
        }

        return Task.CompletedTask;
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Warning, Message = "ConnectionStrings:{Owner} is not set: migrating over ConnectionStrings:{Grid}, which then owns the audit tables and could disable their append-only triggers. Set an owner connection and give the grid a least-privilege role (README, Tamper evidence).")]
    private static partial void LogNoOwner(ILogger logger, string owner, string grid);

    [LoggerMessage(Level = LogLevel.Information, Message = "Database schema is up to date")]
    private static partial void LogUpToDate(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "Database schema script applied: {Script}")]
    private static partial void LogApplied(ILogger logger, string script);
}
