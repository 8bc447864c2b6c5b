using System.Globalization;
using RealName.Grains.Identities;
using RealName.Grains.Reviews;

namespace RealName.Grains.Subscribers;

/// <summary>Dynamic re-review (动态复核): triggers, the deadline, and the new live-photo check.</summary>
public sealed partial class SubscriberGrain
{
    public Task<ReReviewTriggerResult> TriggerReReview(ReReviewTrigger trigger, string actor, string? campaignId) =>
        StartReReview(trigger, actor, campaignId, startedBy: null);

    private async Task<ReReviewTriggerResult> StartReReview(ReReviewTrigger trigger, string actor, string? campaignId, string? startedBy)
    {
        var allowed = ReReviewRules.OnTrigger(Record?.Status ?? SubscriberStatus.None);
        if (allowed != ReReviewTriggerResult.Started || Record is not { } record)
        {
            return allowed;
        }

        var now = clock.GetUtcNow();
        var deadline = ReReviewRules.Deadline(now, reReview.Value);
        // The deadline row goes first: a crash after it leaves a row that finds nothing to do,
        // a crash before the state write a retryable trigger; never a re-review without its deadline.
        await Schedule(ReReviewDeadlineReminder, deadline);
        var eventId = campaignId is not null
            ? DeterministicIds.From(DeterministicIds.Campaign, campaignId, PhoneNumber)
            : DeterministicIds.From(DeterministicIds.ReReview, PhoneNumber, WireCodes.Of(trigger), now.UtcTicks.ToString(CultureInfo.InvariantCulture));
        await audit.AppendAsync(SubscriberAudit.About(eventId, now, AuditEventTypes.ReReviewTriggered, record, actor) with
        {
            Reasons = [WireCodes.Of(trigger)],
            StatusAfter = WireCodes.Of(SubscriberStatus.ReReviewRequired),
            Details = SubscriberAudit.Details(new { deadline, campaign_id = campaignId }),
        });

        var updated = Transition(record, SubscriberStatus.ReReviewRequired, "RE_REVIEW_REQUIRED", actor, now, WireCodes.Of(trigger)) with
        {
            ReReview = new ReReviewState(trigger, now, deadline, null) { StartedBy = startedBy },
        };
        state.State = state.State with { Record = updated };
        await state.WriteStateAsync();
        GridMetrics.ReReview(ReReviewOutcomes.Started, WireCodes.Of(trigger));
        return ReReviewTriggerResult.Started;
    }

    public async Task<ReReviewTriggerResult> ReportFraud(string actor, string reportId, string source)
    {
        if (Record is not { } record)
        {
            return ReReviewTriggerResult.NotActive;
        }

        await audit.AppendAsync(SubscriberAudit.About(DeterministicIds.From(DeterministicIds.Fraud, PhoneNumber, reportId), clock.GetUtcNow(), AuditEventTypes.FraudReported, record, actor) with
        {
            Details = SubscriberAudit.Details(new { report_id = reportId, source }),
        });
        return await TriggerReReview(ReReviewTrigger.FraudReport, actor, null);
    }

    public async Task<ReReviewTriggerResult> Dispute(string actor, string disputeId)
    {
        if (Record is not { } record)
        {
            return ReReviewTriggerResult.NotActive;
        }

        if (record.ReReview is { Trigger: ReReviewTrigger.Dispute } running && running.StartedBy == disputeId)
        {
            // A retry of the dispute that started the running re-review gets that answer again.
            return ReReviewTriggerResult.Started;
        }

        await audit.AppendAsync(SubscriberAudit.About(DeterministicIds.From(DeterministicIds.Dispute, PhoneNumber, disputeId), clock.GetUtcNow(), AuditEventTypes.Disputed, record, actor) with
        {
            Details = SubscriberAudit.Details(new { dispute_id = disputeId }),
        });
        return await StartReReview(ReReviewTrigger.Dispute, actor, null, disputeId);
    }

    public async Task<RegistrationOutcome> ReVerify(ReVerification verification, CancellationToken cancellationToken = default)
    {
        var key = "re-verify:" + verification.RequestId;
        if (Replay(key, verification.Fingerprint) is { } earlier)
        {
            return earlier;
        }

        if (ReReviewRules.CheckReVerification(Record?.Status ?? SubscriberStatus.None, Record?.ReReview is not null) is { } notPending)
        {
            return new RegistrationOutcome(null, Refusal.From(notPending), Replayed: false);
        }

        var record = Record!;
        var running = record.ReReview!;

        if (record.Owner is null || await Identity(record.Owner.IdentityKey).GetEnrollment() is not { } enrollment)
        {
            return Refused(RefusalCodes.NoEnrolledFace, "The number's identity has no enrolled face to compare with.");
        }

        // A face model change makes the enrolled templates incomparable: that is never held against the holder. The
        // terminal reads the document portrait again; the live photo is compared with it and, on a pass, re-enrolled.
        var stale = !string.Equals(enrollment.Live.ModelVersion, faceEngine.ModelVersion, StringComparison.Ordinal);
        if (stale && verification.Portrait is null)
        {
            return Refused(RefusalCodes.ReEnrolmentRequired, "The enrolled face is from an earlier face model: send the document portrait read at this re-review with the live photo.");
        }

        var faces = stale
            ? await FaceChecks.ForReEnrolment(faceEngine, verification.Portrait!, verification.Live, clock.GetUtcNow(), cancellationToken)
            : await FaceChecks.ForReReview(faceEngine, enrollment, verification.Live, cancellationToken);
        cancellationToken.ThrowIfCancellationRequested();
        var now = clock.GetUtcNow();
        var performedAt = verification.PerformedAt;
        var where = new { performed_at = new { performedAt.OutletId, performedAt.ClerkId, performedAt.DeviceId, channel = WireCodes.Of(performedAt.Kind) } };
        var decided = SubscriberAudit.About(DeterministicIds.From(DeterministicIds.ReVerify, PhoneNumber, verification.RequestId), now, AuditEventTypes.ReReviewDecided, record, performedAt.ClerkId)
            .WithFaces(faces.Summaries);

        if (faces.Refusal is { Code: not RefusalCodes.FaceMismatch } imageRefusal)
        {
            // A refused photo (no face, blurry, …) is not a failed re-review: the holder retries.
            return new RegistrationOutcome(null, imageRefusal, Replayed: false);
        }

        var links = faces.Refusal is null
            ? await FaceSearch.UnderOtherIdentities(GrainFactory, faceIndex.Value, faces.Live, record.Owner.IdentityKey, [])
            : [];
        SubscriberRecord updated;
        string ended;
        if (faces.Refusal is not null)
        {
            await audit.AppendAsync(decided with { Decision = AuditDecisions.Failed, Reasons = [RefusalCodes.FaceMismatch], StatusAfter = WireCodes.Of(SubscriberStatus.Suspended), Details = SubscriberAudit.Details(where) }, CancellationToken.None);
            if (record.Status != SubscriberStatus.Suspended)
            {
                await audit.AppendAsync(SubscriberAudit.About(DeterministicIds.From(DeterministicIds.Suspend, PhoneNumber, verification.RequestId), now, AuditEventTypes.Suspended, record, "system") with
                {
                    Reasons = ["RE_REVIEW_FAILED"],
                    StatusAfter = WireCodes.Of(SubscriberStatus.Suspended),
                }, CancellationToken.None);
            }

            updated = Transition(record, SubscriberStatus.Suspended, "RE_REVIEW_FAILED", performedAt.ClerkId, now, "RE_REVIEW_FAILED");
            ended = ReReviewOutcomes.Failed;
        }
        else if (faces.NeedsReview || links.Count > 0)
        {
            var caseId = ReviewShards.CaseId(performedAt, DeterministicIds.From(DeterministicIds.ReReviewCase, PhoneNumber, verification.RequestId));
            string[] reasons = [.. faces.NeedsReview ? ["FACE_REVIEW"] : Array.Empty<string>(), .. links.Count > 0 ? [FaceSearch.Reason] : Array.Empty<string>()];
            var pending = decided with { Decision = AuditDecisions.PendingReview, Reasons = reasons, StatusAfter = WireCodes.Of(record.Status), Details = SubscriberAudit.Details(new { where.performed_at, review_case = caseId }) };
            await audit.AppendAsync(pending, CancellationToken.None);
            if (links.Count > 0)
            {
                await audit.AppendAsync(FaceSearch.RiskEvent(DeterministicIds.From(DeterministicIds.FaceLinked, PhoneNumber, "re-verify:" + verification.RequestId), pending, record.Owner, links, caseId), CancellationToken.None);
            }

            await GrainFactory.GetGrain<IReviewShardGrain>(ReviewShards.KeyOf(performedAt)).Enqueue(
                new ReviewCase(caseId, ReviewCaseKind.ReReview, PhoneNumber, record.CardType, performedAt, faces.Summaries, now) { FaceLinks = links });
            // The reviewer sees the live photo (and the portrait read with it) while the case is open.
            var evidenceId = await KeepReReviewEvidence(pending.EventId, verification);
            updated = record with
            {
                ReReview = running with { ReviewCaseId = caseId, EvidenceId = evidenceId },
                History = record.History.Add(new HistoryEntry(now, "RE_REVIEW_PENDING_REVIEW", record.Status, [.. reasons], performedAt.ClerkId)),
            };
            ended = ReReviewOutcomes.PendingReview;
        }
        else
        {
            await audit.AppendAsync(decided with { Decision = AuditDecisions.Passed, StatusAfter = WireCodes.Of(SubscriberStatus.Active), Details = SubscriberAudit.Details(new { where.performed_at, re_enrolled = stale }) }, CancellationToken.None);
            if (stale && faces.CustomerEnrollment is { } fresh)
            {
                await Identity(record.Owner.IdentityKey).ReEnroll(fresh);
            }

            await audit.AppendAsync(SubscriberAudit.About(DeterministicIds.From(DeterministicIds.Restore, PhoneNumber, verification.RequestId), now, AuditEventTypes.Restored, record, performedAt.ClerkId) with
            {
                Reasons = ["RE_REVIEW_PASSED"],
                StatusAfter = WireCodes.Of(SubscriberStatus.Active),
            }, CancellationToken.None);
            updated = Transition(record, SubscriberStatus.Active, "RE_REVIEW_PASSED", performedAt.ClerkId, now, "RE_REVIEW_PASSED") with { ReReview = null };
            ended = ReReviewOutcomes.Passed;
        }

        var outcome = new RegistrationOutcome(updated, null, Replayed: false);
        state.State = state.State with { Record = updated, Requests = Remember(key, verification.Fingerprint, outcome, updated) };
        await state.WriteStateAsync(CancellationToken.None);
        if (updated.Status != SubscriberStatus.ReReviewRequired)
        {
            // After the state write: a row left behind by a crash finds nothing to do and removes itself.
            await Unschedule(ReReviewDeadlineReminder);
        }

        GridMetrics.ReReview(ended, WireCodes.Of(running.Trigger));
        return outcome;
    }

    /// <summary>
    /// The periodic re-review is due: a number with a holder to re-verify is put into re-review and its next one is
    /// scheduled a period later. A number without a holder (scheduled before such numbers stopped getting one), or one
    /// closed since, has nothing to re-verify: its row goes.
    /// </summary>
    private async Task PeriodicReReviewDue()
    {
        if (!HasHolderToReVerify(Record) || Record?.Status is SubscriberStatus.Cancelled or SubscriberStatus.Rejected)
        {
            await Unschedule(PeriodicReReviewReminder);
            return;
        }

        await TriggerReReview(ReReviewTrigger.Periodic, "system", null);
        await Schedule(PeriodicReReviewReminder, clock.GetUtcNow() + reReview.Value.PeriodicInterval);
    }

    private async Task EnforceDeadline()
    {
        if (Record is not { Status: SubscriberStatus.ReReviewRequired, ReReview: { } running } record)
        {
            await Unschedule(ReReviewDeadlineReminder);
            return;
        }

        var now = clock.GetUtcNow();
        if (!ReReviewRules.IsOverdue(running.Deadline, reviewerHoldsCase: running.ReviewCaseId is not null, now))
        {
            // Not due yet, or a reviewer holds the case: looked at again at the deadline, or a deadline's length later.
            await Schedule(ReReviewDeadlineReminder, running.Deadline > now ? running.Deadline : now + reReview.Value.Deadline);
            return;
        }

        await audit.AppendAsync(SubscriberAudit.About(DeterministicIds.From(DeterministicIds.Overdue, PhoneNumber, running.Deadline.UtcTicks.ToString(CultureInfo.InvariantCulture)), now, AuditEventTypes.Suspended, record, "system") with
        {
            Reasons = ["RE_REVIEW_OVERDUE"],
            StatusAfter = WireCodes.Of(SubscriberStatus.Suspended),
            Details = SubscriberAudit.Details(new { deadline = running.Deadline, trigger = WireCodes.Of(running.Trigger) }),
        });
        state.State = state.State with { Record = Transition(record, SubscriberStatus.Suspended, "SUSPENDED", "system", now, "RE_REVIEW_OVERDUE") };
        await state.WriteStateAsync();
        GridMetrics.ReReview(ReReviewOutcomes.Overdue, WireCodes.Of(running.Trigger));
        await Unschedule(ReReviewDeadlineReminder);
    }

    /// <summary>
    /// Schedules the periodic re-review of a number that has a holder. A number registered without one (an IoT or
    /// enterprise card with no customer, domain rule 7) has no face to re-verify: its periodic re-review could never be
    /// answered (NO_ENROLLED_FACE) and would only suspend it at the deadline, so none is scheduled. Event-driven
    /// re-reviews (fraud report, outlet suspension) still reach such a number.
    /// </summary>
    private async Task StartPeriodicReReview(SubscriberRecord record)
    {
        if (HasHolderToReVerify(record))
        {
            await Schedule(PeriodicReReviewReminder, clock.GetUtcNow() + reReview.Value.PeriodicInterval);
        }
    }

    private static bool HasHolderToReVerify(SubscriberRecord? record) => record?.Owner is not null;

    /// <summary>Keeps a re-review answer's images for its review case when Evidence:KeepImages is on; their evidence id, else null.</summary>
    private async Task<Guid?> KeepReReviewEvidence(Guid eventId, ReVerification verification)
    {
        if (!evidence.Value.KeepImages)
        {
            return null;
        }

        var images = new List<(string, string, byte[])> { ("holder", "live", verification.Live) };
        if (verification.Portrait is { } portrait)
        {
            images.Insert(0, ("holder", "portrait", portrait));
        }

        await evidenceStore.SaveAsync(eventId, images);
        return eventId;
    }

    private static RegistrationOutcome Refused(string code, string message) => new(null, new Refusal(code, message), Replayed: false);
}
