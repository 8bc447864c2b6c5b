using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RealName.Grains.Attempts;
using RealName.Grains.Enterprises;
using RealName.Grains.FaceIndex;
using RealName.Grains.Identities;
using RealName.Grains.Liveness;
using RealName.Grains.Restrictions;
using RealName.Grains.Outlets;
using RealName.Grains.Reviews;

namespace RealName.Grains.Subscribers;

/// <summary>
/// One phone number: owner, card type, the channel that opened it, status and history. Every change
/// appends its audit event first, then writes the state, then acknowledges: a crash in between is
/// repaired by the client's retry (same idempotency key, same event id, event not duplicated).
/// </summary>
[GrainType("subscriber")]
[Placement.AuditPartitionPlacement]
public sealed partial class SubscriberGrain(
    [PersistentState("subscriber", GrainStorage.Name)] IPersistentState<SubscriberState> state,
    TimeProvider clock,
    IOptions<ReReviewOptions> reReview,
    IOptions<RuleOptions> rules,
    CivilCalendar calendar,
    IOptions<EvidenceOptions> evidence,
    IOptions<Retention.RetentionOptions> retention,
    IOptions<FaceIndexOptions> faceIndex,
    LivenessVerifier liveness,
    AuditLog audit,
    Storage.DueWorkStore dueWork,
    EvidenceStore evidenceStore,
    RealName.Face.IFaceEngine faceEngine,
    ILogger<SubscriberGrain> logger) : Grain, ISubscriberGrain, IRemindable
{
    internal const string PeriodicReReviewReminder = "periodic-re-review";
    internal const string ReReviewDeadlineReminder = "re-review-deadline";

    private string PhoneNumber => this.GetPrimaryKeyString();

    private SubscriberRecord? Record => state.State.Record;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // Finish a registration that was written but whose follow-up steps a crash cut short.
        if (!state.State.FollowUpsDone && Record is { } record)
        {
            await CompleteFollowUps(record);
        }
    }

    public Task<SubscriberRecord?> GetRecord() => Task.FromResult(Record);

    public async Task<RegistrationOutcome> Register(RegistrationRequest request, CancellationToken cancellationToken = default)
    {
        if (Replay(request.IdempotencyKey, request.Fingerprint) is { } earlier)
        {
            return earlier;
        }

        var now = clock.GetUtcNow();
        if (ConsentRules.Check(request.ConsentFacts, request.ProcessesFaces, now) is { } noConsent)
        {
            // Without consent no face may be processed and nothing is recorded: no audit event, no state.
            return new RegistrationOutcome(null, Refusal.From(noConsent), Replayed: false);
        }

        if (RiskNoticeRules.Check(request.RiskNoticeFacts, request.Channel.Kind, now) is { } noNotice)
        {
            // Like the consent: without the customer's acknowledgement of the fraud-risk notice nothing is recorded.
            return new RegistrationOutcome(null, Refusal.From(noNotice), Replayed: false);
        }

        if (await RegistrationAttempts.Count(GrainFactory, PhoneNumber, request, now) is { } tooMany)
        {
            return await RefuseAttempt(request, tooMany.Refusal, tooMany.RiskEvent, now);
        }

        var eventId = DeterministicIds.From(DeterministicIds.Registration, PhoneNumber, request.IdempotencyKey);
        if (request.Channel.OutletId.Length > 0 && await GrainFactory.GetGrain<IOutletGrain>(request.Channel.OutletId).GetSuspension() is { } suspension)
        {
            // Domain rule 8: an outlet with a bad record loses its agency until a risk operator reinstates it.
            return await RefuseRegistration(request, eventId, now, new Refusal(RefusalCodes.OutletSuspended, "The outlet is suspended and may not register numbers.")
            {
                Details = ImmutableDictionary<string, string>.Empty.Add("outlet_id", suspension.OutletId).Add("suspended_at", suspension.SuspendedAt.ToString("O", System.Globalization.CultureInfo.InvariantCulture)),
            }, []);
        }

        if (Record is { Status: not (SubscriberStatus.Cancelled or SubscriberStatus.Rejected) })
        {
            return await RefuseRegistration(request, eventId, now, new Refusal(RefusalCodes.NumberAlreadyRegistered, "The number is already registered."), []);
        }

        if (request.Customer is { } person && await RestrictionChecks.ActiveFor(GrainFactory, person) is { } restriction)
        {
            // Before any face work or quota reservation: a restricted identity opens no number anywhere.
            return await RefuseRegistration(request, eventId, now, Refusal.From(RestrictionRules.Restricted(restriction.Order.EndsAt)), []);
        }

        if (RegistrationPolicy.Check(request.Facts, rules.Value, calendar.DateOf(now)) is { } policyRefusal)
        {
            return await RefuseRegistration(request, eventId, now, Refusal.From(policyRefusal), []);
        }

        if (request is { Channel.Kind: ChannelKind.Online, Customer: not null, Liveness: { } attestation } && rules.Value.OnlineRequiresLiveness
            && liveness.Verify(attestation, PhoneNumber) is { } livenessRefusal)
        {
            return await RefuseRegistration(request, eventId, now, livenessRefusal, []);
        }

        var faces = await FaceChecks.ForRegistration(faceEngine, request, now, cancellationToken);
        // The last point where giving up leaves nothing behind: past it the decision is recorded and completed.
        cancellationToken.ThrowIfCancellationRequested();
        if (faces.Refusal is { } faceRefusal)
        {
            return await RefuseRegistration(request, eventId, now, faceRefusal, faces.Summaries);
        }

        var reviewReasons = faces.NeedsReview ? ImmutableList.Create("FACE_REVIEW") : [];
        if (request is { CardType: CardType.Personal, Customer: { } holder } && faces.CustomerEnrollment is { } fresh
            && await Identity(holder.Identity.IdentityKey).GetEnrollment(holder.FormerIdentityKeys) is { } enrolled)
        {
            var (summary, differs) = await FaceChecks.AgainstEnrolled(GrainFactory, enrolled, fresh.Live);
            faces = faces with { Summaries = faces.Summaries.Add(summary) };
            reviewReasons = differs ? reviewReasons.Add(FaceChecks.FaceDiffersFromEnrolled) : reviewReasons;
        }

        var links = request is { CardType: CardType.Personal, Customer: { } customer }
            ? await FaceSearch.UnderOtherIdentities(GrainFactory, faceIndex.Value, faces.CustomerEnrollment?.Live, customer.Identity.IdentityKey, customer.FormerIdentityKeys)
            : [];
        reviewReasons = links.Count > 0 ? reviewReasons.Add(FaceSearch.Reason) : reviewReasons;

        if (await ReserveQuota(request) is { } quotaRefusal)
        {
            return await RefuseRegistration(request, eventId, now, quotaRefusal, faces.Summaries);
        }

        var pending = reviewReasons.Count > 0;
        var status = pending ? SubscriberStatus.PendingReview : SubscriberStatus.Active;
        var caseId = pending ? ReviewShards.CaseId(request.Channel, DeterministicIds.From(DeterministicIds.ReviewCase, PhoneNumber, request.IdempotencyKey)) : null;
        var record = new SubscriberRecord(
            PhoneNumber,
            status,
            request.Customer?.Identity,
            request.Channel,
            now,
            [new HistoryEntry(now, pending ? "REGISTRATION_PENDING_REVIEW" : "REGISTERED", status, reviewReasons, request.Channel.ClerkId)])
        {
            CardType = request.CardType,
            Agent = request.Agent?.Identity,
            Enterprise = request.Enterprise,
            Iot = request.Iot,
            Faces = faces.Summaries,
            ReviewCaseId = caseId,
            Liveness = request.Liveness,
            RegistrationEventId = eventId,
            FaceLinks = links,
        };

        var decided = RegistrationEvent(eventId, now, request, faces.Summaries) with
        {
            Decision = pending ? AuditDecisions.PendingReview : AuditDecisions.Approved,
            Reasons = reviewReasons,
            StatusAfter = WireCodes.Of(status),
            Details = RegistrationDetails(request, faces.Summaries, caseId),
            PersonalDetails = PersonalDetails(request),
        };
        await audit.AppendAsync(decided, CancellationToken.None);
        if (links.Count > 0)
        {
            await audit.AppendAsync(FaceSearch.RiskEvent(DeterministicIds.From(DeterministicIds.FaceLinked, PhoneNumber, request.IdempotencyKey), decided, request.Customer!.Identity, links, caseId), CancellationToken.None);
        }

        await KeepEvidence(eventId, request);
        // A registration decided at once needs its kept images no longer; a pending one until its reviewer decides.
        var evidenceDeletions = pending ? state.State.EvidenceDeletions : WithEvidenceDeletion(eventId, now);
        if (evidenceDeletions != state.State.EvidenceDeletions)
        {
            await ScheduleRetention(state.State.Purges, evidenceDeletions);
        }

        if (!pending)
        {
            // Before the state write, so an acknowledged registration never lacks its periodic re-review.
            await StartPeriodicReReview(record);
        }

        var outcome = new RegistrationOutcome(record, null, Replayed: false);
        // A registration with no follow-up step (an IoT or enterprise card decided at once) is complete with
        // this one state write; the others are marked done by CompleteFollowUps' own write.
        var followUps = HasFollowUps(record);
        state.State = state.State with
        {
            Record = record,
            Requests = Remember(request.IdempotencyKey, request.Fingerprint, outcome, record),
            PendingEnrollment = faces.CustomerEnrollment,
            FollowUpsDone = !followUps,
            EvidenceDeletions = evidenceDeletions,
        };
        await state.WriteStateAsync(CancellationToken.None);
        if (followUps)
        {
            await CompleteFollowUps(record);
        }

        LogRegistered(logger, PersonalDataMasks.Number(PhoneNumber), request.Channel.OutletId, WireCodes.Of(status));
        GridMetrics.Registration(pending ? AuditDecisions.PendingReview : AuditDecisions.Approved, WireCodes.Of(request.Channel.Kind));
        return outcome;
    }

    public async Task RecordDocumentRefusal(DocumentRefusal refusal)
    {
        var codes = refusal.ReasonCodes.IsDefault ? [] : refusal.ReasonCodes.Sort(StringComparer.Ordinal);
        var eventId = DeterministicIds.From(DeterministicIds.DocumentRefusal, [PhoneNumber, refusal.IdempotencyKey, .. codes]);
        var now = clock.GetUtcNow();
        await audit.AppendAsync(SubscriberAudit.Event(eventId, now, AuditEventTypes.RegistrationDecided, PhoneNumber, refusal.Channel, refusal.CardType, null, refusal.Channel.ClerkId) with
        {
            Decision = AuditDecisions.Refused,
            Reasons = codes,
        });
        var refusals = WithPurgeOfRefusal(eventId, null, now, refusal.Channel, refusal.CardType);
        if (refusals != state.State.RefusalPurges)
        {
            await ScheduleRetention(state.State.Purges, state.State.EvidenceDeletions, refusals);
            state.State = state.State with { RefusalPurges = refusals };
            await state.WriteStateAsync();
        }

        LogRefused(logger, PersonalDataMasks.Number(PhoneNumber), refusal.Channel.OutletId, string.Join(',', codes));
        GridMetrics.Registration(AuditDecisions.Refused, WireCodes.Of(refusal.Channel.Kind), codes.FirstOrDefault());
    }

    /// <summary>Raw images are kept only when configured (Evidence:KeepImages); otherwise only templates remain.</summary>
    private async Task KeepEvidence(Guid eventId, RegistrationRequest request)
    {
        if (!evidence.Value.KeepImages)
        {
            return;
        }

        var people = new[] { ("customer", request.Customer), ("agent", request.Agent), ("guardian", request.Guardian) };
        await evidenceStore.SaveAsync(eventId, people
            .Where(p => p.Item2 is not null)
            .SelectMany(p => new[] { (p.Item1, "portrait", p.Item2!.Portrait), (p.Item1, "live", p.Item2!.Live) }));
    }

    private async Task<Refusal?> ReserveQuota(RegistrationRequest request)
    {
        if (request.CardType == CardType.Personal && request.Customer is { } customer)
        {
            var reservation = await Identity(customer.Identity.IdentityKey).Reserve(PhoneNumber, request.Channel.CarrierId, rules.Value.MaxNumbersPerCarrier, customer.FormerIdentityKeys);
            if (!reservation.Granted && IdentityLimits.CheckOneMore(reservation.HeldAtCarrier, reservation.Limit) is { } limit)
            {
                return Refusal.From(limit);
            }
        }

        if (request.CardType == CardType.Iot && request.Enterprise is { } enterprise)
        {
            if (await GrainFactory.GetGrain<IEnterpriseGrain>(enterprise.CreditCode).ReserveIotCard(PhoneNumber) is { } refusal)
            {
                return refusal;
            }
        }

        return null;
    }

    /// <summary>
    /// The steps after a change is written. A registration (or its approval): queue a pending case, confirm the
    /// number with its identity (enrolling the faces, and adding the live face to the 1:N index, only once it is
    /// ACTIVE), re-review the identity's other numbers
    /// when it now holds many. A cancellation or rejection: release the quota, close an open case, drop the
    /// reminders, take the face out of the 1:N index. Each step is idempotent; a crash in between leaves
    /// <see cref="SubscriberState.FollowUpsDone"/> false and the next activation runs them again.
    /// </summary>
    /// <summary>Whether <see cref="CompleteFollowUps"/> has anything to do for the record (else it only writes the state again).</summary>
    private static bool HasFollowUps(SubscriberRecord record) =>
        record.Status is SubscriberStatus.Cancelled or SubscriberStatus.Rejected
        || record is { Status: SubscriberStatus.PendingReview, ReviewCaseId: not null }
        || (record is { CardType: CardType.Personal, Owner: not null } && record.Status is SubscriberStatus.Active or SubscriberStatus.PendingReview);

    private async Task CompleteFollowUps(SubscriberRecord record)
    {
        var active = record.Status == SubscriberStatus.Active;
        if (record.Status is SubscriberStatus.Cancelled or SubscriberStatus.Rejected)
        {
            await ReleaseQuota(record);
            if (state.State.OpenCaseOnClose is { } openCase && await ReviewShards.Find(GrainFactory, openCase) is { } shard)
            {
                await shard.Complete(openCase);
            }

            await Unschedule(ReReviewDeadlineReminder);
            await Unschedule(PeriodicReReviewReminder);
            // A number of a grid upgraded from before due_work may still hold Orleans reminders: they go too.
            await this.UnregisterReminderIfAny(ReReviewDeadlineReminder);
            await this.UnregisterReminderIfAny(PeriodicReReviewReminder);
            await FaceIndexShards.Remove(GrainFactory, faceIndex.Value.Shards, FaceSearch.TemplateId(record));
        }

        if (record is { Status: SubscriberStatus.PendingReview, ReviewCaseId: { } caseId })
        {
            await GrainFactory.GetGrain<IReviewShardGrain>(ReviewShards.KeyOf(record.RegisteredBy)).Enqueue(
                new ReviewCase(caseId, ReviewCaseKind.Registration, PhoneNumber, record.CardType, record.RegisteredBy, record.Faces, record.RegisteredAt) { FaceLinks = record.FaceLinks });
        }

        if (record is { CardType: CardType.Personal, Owner: { } owner } && record.Status is SubscriberStatus.Active or SubscriberStatus.PendingReview)
        {
            var enrollment = active ? state.State.PendingEnrollment : null;
            var confirmed = await Identity(owner.IdentityKey).Confirm(
                new IdentityConfirmation(PhoneNumber, record.RegisteredBy.CarrierId, owner, enrollment, rules.Value.MaxNumbersPerCarrier, rules.Value.ManyCardsThreshold));
            if (!confirmed.Held && active)
            {
                // Its reservation expired before this confirmation and the place was taken: a human decides.
                await RouteToReviewOverLimit(record, confirmed.HeldAtCarrier);
                return;
            }

            if (enrollment is not null)
            {
                // Admitted: its live face joins the 1:N index (an upsert, so a repeated follow-up adds it once).
                await FaceIndexShards.Add(GrainFactory, faceIndex.Value.Shards, FaceSearch.Indexed(record, owner, enrollment.Live));
            }

            foreach (var other in confirmed.ManyCardsOthers)
            {
                await GrainFactory.GetGrain<ISubscriberGrain>(other).TriggerReReview(ReReviewTrigger.ManyCards, "system", null);
            }
        }

        state.State = state.State with { FollowUpsDone = true, PendingEnrollment = active ? null : state.State.PendingEnrollment, OpenCaseOnClose = null };
        await state.WriteStateAsync();
    }

    /// <summary>
    /// An acknowledged registration whose quota place was lost (its reservation expired before the confirmation and
    /// the identity filled the carrier meanwhile) goes to manual review instead of living outside the count.
    /// </summary>
    private async Task RouteToReviewOverLimit(SubscriberRecord record, int held)
    {
        var now = clock.GetUtcNow();
        var position = record.History.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var caseId = ReviewShards.CaseId(record.RegisteredBy, DeterministicIds.From(DeterministicIds.ReviewCaseOverLimit, PhoneNumber, position));
        await audit.AppendAsync(SubscriberAudit.About(DeterministicIds.From(DeterministicIds.RoutedToReview, PhoneNumber, position), now, AuditEventTypes.RoutedToReview, record, "system") with
        {
            Decision = AuditDecisions.PendingReview,
            Reasons = [RefusalCodes.IdentityLimitExceeded],
            StatusAfter = WireCodes.Of(SubscriberStatus.PendingReview),
            Details = SubscriberAudit.Details(new { review_case = caseId, held, limit = rules.Value.MaxNumbersPerCarrier }),
        });
        await Unschedule(PeriodicReReviewReminder);

        var updated = Transition(record, SubscriberStatus.PendingReview, "QUOTA_RESERVATION_EXPIRED", "system", now, RefusalCodes.IdentityLimitExceeded) with { ReviewCaseId = caseId };
        state.State = state.State with { Record = updated, FollowUpsDone = false };
        await state.WriteStateAsync();
        await CompleteFollowUps(updated);
    }

    private async Task<RegistrationOutcome> RefuseRegistration(RegistrationRequest request, Guid eventId, DateTimeOffset now, Refusal refusal, ImmutableList<FaceSummary> faces)
    {
        await audit.AppendAsync(RegistrationEvent(eventId, now, request, faces) with
        {
            Decision = AuditDecisions.Refused,
            Reasons = [refusal.Code],
            Details = RegistrationDetails(request, faces, null),
            PersonalDetails = PersonalDetails(request),
        });

        var outcome = new RegistrationOutcome(null, refusal, Replayed: false);
        // The attempt's personal fields are kept for Retention:AfterRefusal, then purged by the retention reminder.
        var refusals = WithPurgeOfRefusal(eventId, request.IdempotencyKey, now, request.Channel, request.CardType);
        await ScheduleRetention(state.State.Purges, state.State.EvidenceDeletions, refusals);
        state.State = state.State with { Requests = Remember(request.IdempotencyKey, request.Fingerprint, outcome, Record), RefusalPurges = refusals };
        await state.WriteStateAsync();
        LogRefused(logger, PersonalDataMasks.Number(PhoneNumber), request.Channel.OutletId, refusal.Code);
        GridMetrics.Registration(AuditDecisions.Refused, WireCodes.Of(request.Channel.Kind), refusal.Code);
        return outcome;
    }

    /// <summary>
    /// An attempt past a rate: its risk event is appended and, like any refusal's row, purged of personal fields after
    /// Retention:AfterRefusal. The answer is not remembered under the idempotency key: a retry after the window is
    /// counted and decided afresh.
    /// </summary>
    private async Task<RegistrationOutcome> RefuseAttempt(RegistrationRequest request, Refusal refusal, AuditEvent riskEvent, DateTimeOffset now)
    {
        await audit.AppendAsync(riskEvent);
        var refusals = WithPurgeOfRefusal(riskEvent.EventId, null, now, request.Channel, request.CardType);
        if (refusals != state.State.RefusalPurges)
        {
            await ScheduleRetention(state.State.Purges, state.State.EvidenceDeletions, refusals);
            state.State = state.State with { RefusalPurges = refusals };
            await state.WriteStateAsync();
        }

        LogRefused(logger, PersonalDataMasks.Number(PhoneNumber), request.Channel.OutletId, refusal.Code);
        return new RegistrationOutcome(null, refusal, Replayed: false);
    }

    private AuditEvent RegistrationEvent(Guid eventId, DateTimeOffset now, RegistrationRequest request, IReadOnlyList<FaceSummary> faces) =>
        SubscriberAudit.Event(eventId, now, AuditEventTypes.RegistrationDecided, PhoneNumber, request.Channel, request.CardType, request.Customer?.Identity.IdentityKey, request.Channel.ClerkId)
            .WithFaces(faces);

    private static string RegistrationDetails(RegistrationRequest request, IReadOnlyList<FaceSummary> faces, string? caseId) => SubscriberAudit.Details(new
    {
        faces = faces.Select(f => new { f.Person, f.Decision, f.Score, f.ModelVersion, f.Reasons }),
        enterprise = request.Enterprise?.CreditCode,
        liveness = request.Liveness is { } l ? new { l.Provider, l.SessionId, l.Passed, l.Score } : null,
        review_case = caseId,
        consent = request.Consent is { } c ? new { consent_id = c.ConsentId, text_version = c.TextVersion, consented_at = c.ConsentedAt } : null,
        risk_notice = request.RiskNotice is { } n ? new { notice_version = n.NoticeVersion, acknowledged_at = n.AcknowledgedAt, acknowledgement_reference = n.AcknowledgementReference } : null,
    });

    /// <summary>The other persons' identity keys: personal fields of the event, purged with the number.</summary>
    private static string? PersonalDetails(RegistrationRequest request) =>
        request.Agent is null && request.Guardian is null
            ? null
            : SubscriberAudit.Details(new { agent = request.Agent?.Identity.IdentityKey, guardian = request.Guardian?.Identity.IdentityKey });

    /// <summary>
    /// The remembered outcome of an earlier request under <paramref name="key"/>, marked replayed; null when the key is
    /// new. The same key with other content (another digest) is a conflict, whatever the first answer was: a refusal
    /// does not hide a later approval under its key, nor is a changed request answered with the first one's record.
    /// </summary>
    private RegistrationOutcome? Replay(string key, string fingerprint) =>
        state.State.Requests.FirstOrDefault(r => r.Key == key) is not { } earlier ? null
        : earlier.IsRetry(fingerprint) ? earlier.Outcome with { Replayed = true }
        : throw new RequestConflictException("This idempotency key was used for a request with other content; use a new key.");

    /// <summary>
    /// Remembers a request's outcome among the last <see cref="RuleOptions.RememberedRequests"/>; the request that
    /// registered <paramref name="current"/> is never the one forgotten, so its retry replays however many other
    /// requests (from any caller) came for the number since.
    /// </summary>
    private ImmutableList<RememberedRequest> Remember(string key, string fingerprint, RegistrationOutcome outcome, SubscriberRecord? current)
    {
        var requests = state.State.Requests.Add(new RememberedRequest(key, outcome) { Fingerprint = fingerprint });
        while (requests.Count > rules.Value.RememberedRequests
            && requests.FindIndex(r => current?.RegistrationEventId != DeterministicIds.From(DeterministicIds.Registration, PhoneNumber, r.Key)) is var oldest and >= 0)
        {
            requests = requests.RemoveAt(oldest);
        }

        return requests;
    }

    private IIdentityGrain Identity(string identityKey) => GrainFactory.GetGrain<IIdentityGrain>(identityKey);

    private static SubscriberRecord Transition(SubscriberRecord record, SubscriberStatus status, string eventName, string actor, DateTimeOffset at, params string[] reasons) =>
        record with
        {
            Status = status,
            History = record.History.Add(new HistoryEntry(at, eventName, status, [.. reasons], actor)),
        };

    [LoggerMessage(Level = LogLevel.Information, Message = "Number {MaskedPhoneNumber} registered at outlet {OutletId}: {Status}")]
    private static partial void LogRegistered(ILogger logger, string maskedPhoneNumber, string outletId, string status);

    [LoggerMessage(Level = LogLevel.Information, Message = "Registration of {MaskedPhoneNumber} at outlet {OutletId} refused: {Reason}")]
    private static partial void LogRefused(ILogger logger, string maskedPhoneNumber, string outletId, string reason);
}
