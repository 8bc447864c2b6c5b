using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using RealName.Grains.Subscribers;

namespace RealName.Grains.Campaigns;

/// <summary>
/// A re-review campaign. Works through its targets a small batch per timer tick (so it never floods the
/// grid), persisting the cursor and counts after every batch. A durable reminder re-activates it after
/// a silo restart; activation restarts the timer. Each target gets
/// <see cref="ISubscriberGrain.TriggerReReview"/> with trigger CAMPAIGN and the campaign id.
/// </summary>
[GrainType("campaign")]
public sealed partial class CampaignGrain(
    [PersistentState("campaign", GrainStorage.Name)] IPersistentState<CampaignState> state,
    TimeProvider clock,
    IOptions<ReminderOptions> reminders,
    AuditReports reports,
    CampaignTargetStore targetRows,
    ILogger<CampaignGrain> logger) : Grain, ICampaignGrain, IRemindable
{
    internal const string ResumeReminder = "campaign-resume";
    internal const int BatchSize = 20;
    internal static readonly TimeSpan TickPeriod = TimeSpan.FromMilliseconds(250);
    private const int Attempts = 3;
    private const int MaxFailedNumbersKept = 1_000;

    private IGrainTimer? timer;

    private string CampaignId => this.GetPrimaryKeyString();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (!state.State.Targets.IsEmpty)
        {
            // Rows first, then the emptied state: a crash in between writes the same rows again.
            if (state.State.CompletedAt is null)
            {
                await targetRows.ReplaceAsync(CampaignId, state.State.Targets, cancellationToken);
            }

            state.State = state.State with { TargetCount = state.State.Targets.Length, Targets = [] };
            await state.WriteStateAsync(cancellationToken);
        }

        if (state.State.Definition is not null && state.State.CompletedAt is null)
        {
            StartTimer();
        }
        else if (state.State.CompletedAt is not null)
        {
            await StopReminderAsync();
            // Left behind only when a silo stopped between the last batch's state and the rows' removal.
            await targetRows.DeleteAsync(CampaignId, cancellationToken);
        }

        await base.OnActivateAsync(cancellationToken);
    }

    public async Task<CampaignProgress> Start(CampaignDefinition definition)
    {
        if (state.State.Definition is not null)
        {
            return Progress();
        }

        var targets = await reports.SelectCampaignTargetsAsync(new CampaignSelection(definition.OutletId, definition.ClerkId, definition.From, definition.To));
        // The rows before the state that counts them: a crash in between leaves no campaign, and a start again replaces the rows.
        await targetRows.ReplaceAsync(CampaignId, targets);
        var now = clock.GetUtcNow();
        state.State = new CampaignState
        {
            Definition = definition,
            TargetCount = targets.Count,
            CreatedAt = now,
            CompletedAt = targets.Count == 0 ? now : null,
            StartedBy = CallerContext.Current,
        };
        await state.WriteStateAsync();
        LogStarted(logger, CampaignId, state.State.TargetCount, definition.OutletId, definition.ClerkId);
        if (state.State.CompletedAt is null)
        {
            // The reminder only wakes the grain after a restart; the timer does the work. Its period is the
            // silo's reminder granularity (Cluster:Reminders:MinimumReminderPeriod, 1 min by default).
            var period = TimeSpan.FromTicks(Math.Max(reminders.Value.MinimumReminderPeriod.Ticks, TimeSpan.FromSeconds(1).Ticks));
            await this.RegisterOrUpdateReminder(ResumeReminder, period, period);
            StartTimer();
        }

        return Progress();
    }

    public Task<CampaignProgress?> GetProgress() =>
        Task.FromResult(state.State.Definition is null ? null : Progress());

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName != ResumeReminder)
        {
            return;
        }

        if (state.State.Definition is null || state.State.CompletedAt is not null)
        {
            await StopReminderAsync();
            return;
        }

        // Activation already restarted the timer; this covers a timer that was disposed for any other reason.
        if (timer is null)
        {
            StartTimer();
        }
    }

    private void StartTimer() =>
        timer ??= this.RegisterGrainTimer(ProcessBatchAsync, new GrainTimerCreationOptions { DueTime = TimeSpan.Zero, Period = TickPeriod, Interleave = false });

    private async Task ProcessBatchAsync(CancellationToken cancellationToken)
    {
        var current = state.State;
        if (current.Definition is null || current.CompletedAt is not null)
        {
            StopTimer();
            return;
        }

        // Timer ticks carry no request context: the re-reviews record the caller who started the campaign.
        CallerContext.Set(current.StartedBy);
        var end = Math.Min(current.Cursor + BatchSize, current.TargetCount);
        var batch = await targetRows.ReadAsync(CampaignId, current.Cursor, end - current.Cursor, cancellationToken);
        int started = current.Started, already = current.AlreadyRunning, notActive = current.NotActive, failed = current.Failed;
        var failedNumbers = current.FailedNumbers;
        foreach (var number in batch)
        {
            switch (await TriggerAsync(number, current.Definition.Actor))
            {
                case ReReviewTriggerResult.Started:
                    started++;
                    break;
                case ReReviewTriggerResult.AlreadyRunning:
                    already++;
                    break;
                case ReReviewTriggerResult.NotActive:
                    notActive++;
                    break;
                default:
                    failed++;
                    if (failedNumbers.Count < MaxFailedNumbersKept)
                    {
                        failedNumbers = failedNumbers.Add(number);
                    }

                    break;
            }
        }

        var done = end >= current.TargetCount;
        state.State = current with
        {
            Cursor = end,
            Started = started,
            AlreadyRunning = already,
            NotActive = notActive,
            Failed = failed,
            FailedNumbers = failedNumbers,
            CompletedAt = done ? clock.GetUtcNow() : null,
        };
        try
        {
            await state.WriteStateAsync(cancellationToken);
        }
        catch (Exception ex) when (StorageFailures.Is(ex))
        {
            // Timer ticks bypass the grain call filter: discard the unwritten cursor the same way it does.
            this.DeactivateOnIdle();
            throw;
        }

        if (done)
        {
            LogCompleted(logger, CampaignId, started, already, notActive, failed);
            // Before the timer stops: disposing it cancels this tick's token.
            await targetRows.DeleteAsync(CampaignId, cancellationToken);
            StopTimer();
            await StopReminderAsync();
        }
    }

    /// <summary>Null when every attempt failed.</summary>
    private async Task<ReReviewTriggerResult?> TriggerAsync(string number, string actor)
    {
        for (var attempt = 1; attempt <= Attempts; attempt++)
        {
            try
            {
                return await GrainFactory.GetGrain<ISubscriberGrain>(number)
                    .TriggerReReview(ReReviewTrigger.Campaign, actor, CampaignId);
            }
#pragma warning disable CA1031 // One number's failure must not stop the campaign; it is counted and logged.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                LogTriggerFailed(logger, ex, CampaignId, PersonalDataMasks.Number(number), attempt);
            }
        }

        return null;
    }

    private void StopTimer()
    {
        timer?.Dispose();
        timer = null;
    }

    private async Task StopReminderAsync()
    {
        var reminder = await this.GetReminder(ResumeReminder);
        if (reminder is not null)
        {
            await this.UnregisterReminder(reminder);
        }
    }

    private CampaignProgress Progress()
    {
        var s = state.State;
        return new CampaignProgress(
            CampaignId, s.Definition!, s.TargetCount, s.Cursor, s.Started, s.AlreadyRunning, s.NotActive, s.Failed, s.CreatedAt, s.CompletedAt);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Campaign {CampaignId} started: {Targets} numbers (outlet {OutletId}, clerk {ClerkId})")]
    private static partial void LogStarted(ILogger logger, string campaignId, int targets, string? outletId, string? clerkId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Campaign {CampaignId} completed: {Started} started, {AlreadyRunning} already running, {NotActive} not active, {Failed} failed")]
    private static partial void LogCompleted(ILogger logger, string campaignId, int started, int alreadyRunning, int notActive, int failed);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Campaign {CampaignId}: re-review trigger for {MaskedPhoneNumber} failed (attempt {Attempt})")]
    private static partial void LogTriggerFailed(ILogger logger, Exception ex, string campaignId, string maskedPhoneNumber, int attempt);
}
