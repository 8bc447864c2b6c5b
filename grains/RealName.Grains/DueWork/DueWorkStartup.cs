using Microsoft.Extensions.Logging;
using RealName.Storage;

namespace RealName.Grains.DueWork;

/// <summary>
/// Starts every sweeper when a silo becomes active, so due work is swept after a restart even if no request
/// arrived. Idempotent (every silo does it); it retries in the background until each sweeper has started.
/// </summary>
internal sealed partial class DueWorkStartup(IGrainFactory grains, ILogger<DueWorkStartup> logger) : ILifecycleParticipant<ISiloLifecycle>, IDisposable
{
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(5);
    private readonly CancellationTokenSource stopping = new();
    private Task? starting;

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(DueWorkStartup), ServiceLifecycleStage.Active, OnStart, OnStop);

    public void Dispose() => stopping.Dispose();

    private Task OnStart(CancellationToken cancellationToken)
    {
        starting = Task.Run(() => StartAllAsync(stopping.Token), CancellationToken.None);
        return Task.CompletedTask;
    }

    private async Task OnStop(CancellationToken cancellationToken)
    {
        await stopping.CancelAsync();
        if (starting is not null)
        {
            await starting.WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    private async Task StartAllAsync(CancellationToken cancellationToken)
    {
        var waiting = Enumerable.Range(0, DueWorkStore.Partitions).ToList();
        while (waiting.Count > 0 && !cancellationToken.IsCancellationRequested)
        {
            foreach (var partition in waiting.ToList())
            {
                try
                {
                    await grains.GetGrain<IDueWorkSweeperGrain>(partition).Start();
                    waiting.Remove(partition);
                }
                catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
                {
                    LogRetry(logger, ex, partition);
                }
            }

            if (waiting.Count > 0)
            {
                await Task.Delay(RetryDelay, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Due-work sweeper {Partition} did not start yet; retrying")]
    private static partial void LogRetry(ILogger logger, Exception exception, int partition);
}
