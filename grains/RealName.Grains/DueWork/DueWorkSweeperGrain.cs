using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using RealName.Grains.Subscribers;
using RealName.Storage;

namespace RealName.Grains.DueWork;

/// <summary>
/// Sweeps one partition of due_work: every <see cref="DueWorkOptions.SweepInterval"/> it reads the rows due by the
/// grid's clock, oldest first, a batch at a time, and calls each number's <see cref="ISubscriberGrain.OnDue"/> with
/// at most <see cref="DueWorkOptions.Concurrency"/> calls in flight. The grain moves or removes its row; a call that
/// fails leaves the row, so the next sweep tries again (at least once). Its one reminder re-activates it after the
/// silo that held it failed; the timer keeps it active in between.
/// </summary>
[GrainType("dueworksweeper")]
public sealed partial class DueWorkSweeperGrain(
    DueWorkStore store,
    TimeProvider clock,
    IOptions<DueWorkOptions> options,
    IOptions<ReminderOptions> reminders,
    ILogger<DueWorkSweeperGrain> logger) : Grain, IDueWorkSweeperGrain, IRemindable
{
    internal const string KeepAliveReminder = "due-work-keep-alive";

    private IGrainTimer? timer;

    private int Partition => (int)this.GetPrimaryKeyLong();

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        timer ??= this.RegisterGrainTimer(SweepAsync, new GrainTimerCreationOptions
        {
            DueTime = options.Value.SweepInterval,
            Period = options.Value.SweepInterval,
            Interleave = false,
            KeepAlive = true,
        });
        return Task.CompletedTask;
    }

    public async Task Start()
    {
        // The reminder's period is the silo's reminder granularity, at least a minute: it only brings the sweeper back.
        var period = TimeSpan.FromTicks(Math.Max(reminders.Value.MinimumReminderPeriod.Ticks, TimeSpan.FromMinutes(1).Ticks));
        if (await this.GetReminder(KeepAliveReminder) is null)
        {
            await this.RegisterOrUpdateReminder(KeepAliveReminder, period, period);
        }
    }

    /// <summary>Activation started the timer; a tick has nothing else to do.</summary>
    public Task ReceiveReminder(string reminderName, TickStatus status) => Task.CompletedTask;

    private async Task SweepAsync(CancellationToken cancellationToken)
    {
        var limit = options.Value.BatchSize;
        IReadOnlyList<DueWorkItem> due;
        var failed = 0;
        do
        {
            due = await store.DueAsync(Partition, clock.GetUtcNow(), limit, cancellationToken);
            var failures = await CallAsync(due);
            failed += failures;
            // Rows whose call failed are still due: a full batch of them waits for the next tick instead of spinning.
            if (failures > 0)
            {
                break;
            }
        }
        while (due.Count == limit && !cancellationToken.IsCancellationRequested);

        if (failed > 0)
        {
            LogFailures(logger, Partition, failed);
        }
    }

    /// <summary>Calls every item's grain, at most Concurrency at a time; how many calls failed.</summary>
    private async Task<int> CallAsync(IReadOnlyList<DueWorkItem> due)
    {
        using var slots = new SemaphoreSlim(options.Value.Concurrency);
        var failures = 0;
        await Task.WhenAll(due.Select(async item =>
        {
            await slots.WaitAsync();
            try
            {
                await GrainFactory.GetGrain<ISubscriberGrain>(item.GrainKey).OnDue(item.Kind, item.DueAt);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                Interlocked.Increment(ref failures);
                LogFailure(logger, ex, Partition, item.Kind);
            }
            finally
            {
                slots.Release();
            }
        }));
        return failures;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Due work of kind {Kind} in partition {Partition} failed; it stays due for the next sweep")]
    private static partial void LogFailure(ILogger logger, Exception exception, int partition, string kind);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sweeping partition {Partition}: {Failed} calls failed and stay due")]
    private static partial void LogFailures(ILogger logger, int partition, int failed);
}
