namespace RealName.Grains.Subscribers;

/// <summary>
/// The number's scheduled work (periodic re-review, re-review deadline, retention) lives in due_work, one row per
/// kind, which this grain alone writes and the due-work sweepers read (<see cref="DueWork.DueWorkSweeperGrain"/>).
/// The kinds keep the names the Orleans reminders had, so a reminder stored by an earlier version still does its
/// work when it fires, and then becomes a row.
/// </summary>
public sealed partial class SubscriberGrain
{
    public async Task OnDue(string kind, DateTimeOffset dueAt)
    {
        // A row moved or removed since the sweeper read it is not due any more (its new time will be swept).
        if (await dueWork.IsStillDueAsync(PhoneNumber, kind, dueAt))
        {
            await DoDue(kind);
        }
    }

    /// <summary>
    /// A reminder stored before due_work (an upgraded grid): its work is done as a row's would be, which leaves the
    /// row at its next time (or none), and the reminder goes.
    /// </summary>
    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (await DoDue(reminderName))
        {
            await this.UnregisterReminderIfAny(reminderName);
        }
    }

    /// <summary>Does the work of one kind (each idempotent: a repeated call finds it done); false for an unknown kind.</summary>
    private async Task<bool> DoDue(string kind)
    {
        switch (kind)
        {
            case PeriodicReReviewReminder:
                await PeriodicReReviewDue();
                return true;
            case ReReviewDeadlineReminder:
                await EnforceDeadline();
                return true;
            case RetentionReminder:
                await ApplyRetention();
                return true;
            default:
                return false;
        }
    }

    private Task Schedule(string kind, DateTimeOffset dueAt) => dueWork.ScheduleAsync(PhoneNumber, kind, dueAt);

    private Task Unschedule(string kind) => dueWork.CancelAsync(PhoneNumber, kind);
}
