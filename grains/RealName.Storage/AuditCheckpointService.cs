using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RealName.Storage.Reads;

namespace RealName.Storage;

/// <summary>
/// The time half of "a checkpoint every N events or M minutes": every <see cref="AuditCheckpointOptions.Interval"/>
/// the silo signs the chain head if events arrived since the last checkpoint.
/// </summary>
public sealed partial class AuditCheckpointService(
    AuditLog log, IOptions<AuditCheckpointOptions> options, TimeProvider clock, ILogger<AuditCheckpointService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (string.IsNullOrWhiteSpace(options.Value.SigningKey))
        {
            LogNoKey(logger);
            return;
        }

        using var timer = new PeriodicTimer(options.Value.Interval, clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                if (await log.CheckpointAsync(stoppingToken))
                {
                    LogCheckpointed(logger);
                }
            }
            catch (Npgsql.NpgsqlException ex)
            {
                // The database is away; the next tick (or the next N events) checkpoints.
                LogFailed(logger, ex);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "AuditCheckpoints:SigningKey is not set: the audit chain head is not checkpointed, so a rewritten tail cannot be told from the original.")]
    private static partial void LogNoKey(ILogger logger);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Audit chain head checkpointed")]
    private static partial void LogCheckpointed(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Audit chain checkpoint failed")]
    private static partial void LogFailed(ILogger logger, Exception ex);
}
