using System.Collections.Immutable;
using System.Globalization;
using RealName.Storage;
using RealName.Storage.Reads;

namespace RealName.Grains.Subscribers;

/// <summary>
/// Retention (domain rule 9): a closed registration is purged <see cref="Retention.RetentionOptions.AfterServiceEnd"/>
/// after its service ended, and kept evidence images are deleted <see cref="Retention.RetentionOptions.EvidenceAfterReview"/>
/// after the registration's decision. One due_work row per number is due at the earliest waiting deletion.
/// </summary>
public sealed partial class SubscriberGrain
{
    internal const string RetentionReminder = "retention";

    private ImmutableList<ScheduledPurge> WithPurgeOf(SubscriberRecord closed, DateTimeOffset closedAt) =>
        state.State.Purges.Add(new ScheduledPurge(
            closed.RegisteredAt, closedAt, closedAt + retention.Value.AfterServiceEnd, closed.RegistrationEventId, closed.Owner?.IdentityKey, closed.RegisteredBy, closed.CardType));

    /// <summary>The registration's evidence images (if any were kept) are deleted a while after its decision.</summary>
    private ImmutableList<EvidenceDeletion> WithEvidenceDeletion(Guid? eventId, DateTimeOffset decidedAt) =>
        evidence.Value.KeepImages && eventId is { } id
            ? state.State.EvidenceDeletions.Add(new EvidenceDeletion(id, decidedAt + retention.Value.EvidenceAfterReview))
            : state.State.EvidenceDeletions;

    /// <summary>
    /// Schedules the retention row at the earliest waiting deletion, or removes it when none waits. Called
    /// before the state that holds the deletions is written: a crash in between leaves a row with nothing to do.
    /// </summary>
    private async Task ScheduleRetention(ImmutableList<ScheduledPurge> purges, ImmutableList<EvidenceDeletion> deletions, ImmutableList<RefusalPurge>? refusals = null)
    {
        var due = purges.Select(p => p.DueAt)
            .Concat(deletions.Select(d => d.DueAt))
            .Concat((refusals ?? state.State.RefusalPurges).Select(r => r.DueAt))
            .Order().Cast<DateTimeOffset?>().FirstOrDefault();
        if (due is not { } next)
        {
            await Unschedule(RetentionReminder);
            return;
        }

        await Schedule(RetentionReminder, next);
    }

    /// <summary>Carries out every deletion that is due; each step is idempotent, so a crash part-way is finished by the next sweep.</summary>
    private async Task ApplyRetention()
    {
        var now = clock.GetUtcNow();
        var deletions = state.State.EvidenceDeletions.Where(d => d.DueAt <= now).ToList();
        var purges = state.State.Purges.Where(p => p.DueAt <= now).ToList();
        var refusals = state.State.RefusalPurges.Where(r => r.DueAt <= now).ToList();
        foreach (var deletion in deletions)
        {
            await evidenceStore.DeleteAsync(deletion.EventId);
        }

        foreach (var purge in purges)
        {
            await Purge(purge, now);
        }

        foreach (var refusal in refusals)
        {
            await PurgeRefusal(refusal, now);
        }

        if (deletions.Count > 0 || purges.Count > 0 || refusals.Count > 0)
        {
            var forgotten = refusals.Select(r => r.IdempotencyKey).ToHashSet();
            var purged = purges.Select(p => p.RegisteredAt).ToHashSet();
            var recordPurged = Record is { Status: Rules.SubscriberStatus.Cancelled or Rules.SubscriberStatus.Rejected } record && purged.Contains(record.RegisteredAt);
            state.State = state.State with
            {
                Record = recordPurged ? null : Record,
                PendingEnrollment = recordPurged ? null : state.State.PendingEnrollment,
                Requests = state.State.Requests.RemoveAll(r =>
                    (r.Outcome.Record is { } remembered && purged.Contains(remembered.RegisteredAt))
                    || (r.Outcome.Record is null && forgotten.Contains(r.Key))),
                EvidenceDeletions = state.State.EvidenceDeletions.RemoveAll(deletions.Contains),
                Purges = state.State.Purges.RemoveAll(purges.Contains),
                RefusalPurges = state.State.RefusalPurges.RemoveAll(refusals.Contains),
            };
            await state.WriteStateAsync();
        }

        // The row moves to the next waiting deletion, or goes when nothing waits (also a row a crash left behind).
        await ScheduleRetention(state.State.Purges, state.State.EvidenceDeletions);
    }

    /// <summary>Records the purge first (a PURGED event without number or identity), then deletes; a retry repeats both harmlessly.</summary>
    private async Task Purge(ScheduledPurge purge, DateTimeOffset now)
    {
        var registeredAt = purge.RegisteredAt.UtcTicks.ToString(CultureInfo.InvariantCulture);
        await audit.AppendAsync(SubscriberAudit.Event(DeterministicIds.From(DeterministicIds.Purge, PhoneNumber, registeredAt), now, AuditEventTypes.Purged, PhoneNumber, purge.RegisteredBy, purge.CardType, null, "system") with
        {
            PhoneNumber = null,
            Reasons = ["RETENTION_ENDED"],
            Details = SubscriberAudit.Details(new { registered_at = purge.RegisteredAt, closed_at = purge.ClosedAt, due_at = purge.DueAt }),
        });
        if (purge.EvidenceId is { } evidenceId)
        {
            await evidenceStore.DeleteAsync(evidenceId);
        }

        await audit.PurgeNumberAsync(PhoneNumber, purge.ClosedAt);
        if (purge.IdentityKey is { } identityKey)
        {
            await Identity(identityKey).PurgeUnlessHeld(PhoneNumber);
        }

        LogPurged(logger, purge.RegisteredAt);
    }

    /// <summary>A refusal's retention is scheduled with it (idempotent: a retried refusal is scheduled once).</summary>
    private ImmutableList<RefusalPurge> WithPurgeOfRefusal(Guid eventId, string? idempotencyKey, DateTimeOffset refusedAt, ChannelFacts channel, CardType cardType) =>
        state.State.RefusalPurges.Any(r => r.EventId == eventId)
            ? state.State.RefusalPurges
            : state.State.RefusalPurges.Add(new RefusalPurge(eventId, idempotencyKey, refusedAt, refusedAt + retention.Value.AfterRefusal, channel, cardType));

    /// <summary>Records the purge (a PURGED event without number or identity), then clears the refusal row's personal fields and images.</summary>
    private async Task PurgeRefusal(RefusalPurge refusal, DateTimeOffset now)
    {
        await audit.AppendAsync(SubscriberAudit.Event(DeterministicIds.From(DeterministicIds.Purge, PhoneNumber, refusal.EventId.ToString("N")), now, AuditEventTypes.Purged, PhoneNumber, refusal.Channel, refusal.CardType, null, "system") with
        {
            PhoneNumber = null,
            Reasons = ["RETENTION_ENDED"],
            Details = SubscriberAudit.Details(new { refused_at = refusal.RefusedAt, due_at = refusal.DueAt, refusal_event = refusal.EventId }),
        });
        await evidenceStore.DeleteAsync(refusal.EventId);
        await audit.PurgeEventAsync(refusal.EventId);
    }

    [Microsoft.Extensions.Logging.LoggerMessage(Level = Microsoft.Extensions.Logging.LogLevel.Information, Message = "A closed registration of {RegisteredAt:O} reached the end of its retention and was purged")]
    private static partial void LogPurged(Microsoft.Extensions.Logging.ILogger logger, DateTimeOffset registeredAt);
}
