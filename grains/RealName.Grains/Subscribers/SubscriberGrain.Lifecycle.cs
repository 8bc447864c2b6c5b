using RealName.Grains.Enterprises;
using RealName.Grains.Reviews;

namespace RealName.Grains.Subscribers;

/// <summary>Cancellation and reviewers' decisions.</summary>
public sealed partial class SubscriberGrain
{
    public async Task<RegistrationOutcome> Cancel(string actor, string reasonCode)
    {
        if (Record is not { } record || record.Status == SubscriberStatus.Rejected)
        {
            return Refused(RefusalCodes.NotRegistered, "The number is not registered.");
        }

        if (record.Status == SubscriberStatus.Cancelled)
        {
            return Refused(RefusalCodes.AlreadyCancelled, "The number is already cancelled.");
        }

        var now = clock.GetUtcNow();
        await audit.AppendAsync(SubscriberAudit.About(DeterministicIds.From(DeterministicIds.Cancel, PhoneNumber, record.RegisteredAt.UtcTicks.ToString(System.Globalization.CultureInfo.InvariantCulture)), now, AuditEventTypes.Cancelled, record, actor) with
        {
            Reasons = [reasonCode],
            StatusAfter = WireCodes.Of(SubscriberStatus.Cancelled),
        });
        var updated = Transition(record, SubscriberStatus.Cancelled, "CANCELLED", actor, now, reasonCode) with { ReReview = null, ReviewCaseId = null };
        // The end of service starts the retention; an open registration case no longer needs its images.
        var purges = WithPurgeOf(record, now);
        var deletions = record.Status == SubscriberStatus.PendingReview ? WithEvidenceDeletion(record.RegistrationEventId, now) : state.State.EvidenceDeletions;
        if (record.ReReview is { ReviewCaseId: not null, EvidenceId: { } reReviewImages })
        {
            deletions = deletions.Add(new EvidenceDeletion(reReviewImages, now + retention.Value.EvidenceAfterReview));
        }

        await ScheduleRetention(purges, deletions);
        state.State = state.State with
        {
            Record = updated,
            PendingEnrollment = null,
            FollowUpsDone = false,
            OpenCaseOnClose = record.ReviewCaseId ?? record.ReReview?.ReviewCaseId,
            Purges = purges,
            EvidenceDeletions = deletions,
        };
        await state.WriteStateAsync();
        await CompleteFollowUps(updated);
        return new RegistrationOutcome(updated, null, Replayed: false);
    }

    public async Task<RegistrationOutcome> ApplyReviewDecision(ReviewDecision decision)
    {
        if (Record is not { } record)
        {
            return Refused(RefusalCodes.ReviewCaseNotFound, "No open review case for this number.");
        }

        var now = clock.GetUtcNow();
        var decidedId = DeterministicIds.From(DeterministicIds.ReviewDecision, decision.CaseId);
        var decided = SubscriberAudit.About(decidedId, now, AuditEventTypes.ReviewDecided, record, decision.ReviewerId) with
        {
            Decision = decision.Approve ? AuditDecisions.Approved : AuditDecisions.Rejected,
            Reasons = [decision.Reason],
        };

        if (record.Status == SubscriberStatus.PendingReview && record.ReviewCaseId == decision.CaseId)
        {
            var status = decision.Approve ? SubscriberStatus.Active : SubscriberStatus.Rejected;
            await audit.AppendAsync(decided with
            {
                StatusAfter = WireCodes.Of(status),
                Details = SubscriberAudit.Details(new { case_id = decision.CaseId, case_kind = "REGISTRATION" }),
            });
            var updated = Transition(record, status, decision.Approve ? "REVIEW_APPROVED" : "REVIEW_REJECTED", decision.ReviewerId, now, decision.Reason) with { ReviewCaseId = null };
            if (decision.Approve)
            {
                await StartPeriodicReReview(updated);
            }

            // The case is decided: its images are deleted after a while; a rejection ends the service too.
            var purges = decision.Approve ? state.State.Purges : WithPurgeOf(record, now);
            var deletions = WithEvidenceDeletion(record.RegistrationEventId, now);
            await ScheduleRetention(purges, deletions);
            state.State = state.State with
            {
                Record = updated,
                PendingEnrollment = decision.Approve ? state.State.PendingEnrollment : null,
                FollowUpsDone = false,
                Purges = purges,
                EvidenceDeletions = deletions,
            };
            await state.WriteStateAsync();
            await CompleteFollowUps(updated);

            return new RegistrationOutcome(updated, null, Replayed: false);
        }

        if (record.ReReview is { } running && running.ReviewCaseId == decision.CaseId)
        {
            var status = decision.Approve ? SubscriberStatus.Active : SubscriberStatus.Suspended;
            await audit.AppendAsync(decided with
            {
                StatusAfter = WireCodes.Of(status),
                Details = SubscriberAudit.Details(new { case_id = decision.CaseId, case_kind = "RE_REVIEW" }),
            });
            if (record.Status != status)
            {
                await audit.AppendAsync(SubscriberAudit.About(DeterministicIds.From(DeterministicIds.ReviewOutcome, decision.CaseId), now, decision.Approve ? AuditEventTypes.Restored : AuditEventTypes.Suspended, record, decision.ReviewerId) with
                {
                    Reasons = [decision.Approve ? "REVIEW_APPROVED" : "REVIEW_REJECTED"],
                    StatusAfter = WireCodes.Of(status),
                });
            }

            var updated = Transition(record, status, decision.Approve ? "RE_REVIEW_PASSED" : "SUSPENDED", decision.ReviewerId, now, decision.Approve ? "REVIEW_APPROVED" : "REVIEW_REJECTED") with
            {
                ReReview = decision.Approve ? null : running with { ReviewCaseId = null },
            };
            // The case is decided: its images are deleted after a while.
            var deletions = WithEvidenceDeletion(running.EvidenceId, now);
            if (deletions != state.State.EvidenceDeletions)
            {
                await ScheduleRetention(state.State.Purges, deletions);
            }

            state.State = state.State with { Record = updated, EvidenceDeletions = deletions };
            await state.WriteStateAsync();
            GridMetrics.ReReview(decision.Approve ? ReReviewOutcomes.Passed : ReReviewOutcomes.Failed, WireCodes.Of(running.Trigger));
            await Unschedule(ReReviewDeadlineReminder);
            return new RegistrationOutcome(updated, null, Replayed: false);
        }

        return Refused(RefusalCodes.ReviewCaseNotFound, "No open review case with that id for this number.");
    }

    private async Task ReleaseQuota(SubscriberRecord record)
    {
        if (record is { CardType: CardType.Personal, Owner: { } owner })
        {
            await Identity(owner.IdentityKey).Release(PhoneNumber);
        }

        if (record is { CardType: CardType.Iot, Enterprise: { } enterprise })
        {
            await GrainFactory.GetGrain<IEnterpriseGrain>(enterprise.CreditCode).ReleaseCard(PhoneNumber);
        }
    }
}
