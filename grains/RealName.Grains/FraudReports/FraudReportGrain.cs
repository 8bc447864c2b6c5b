using System.Globalization;
using Microsoft.Extensions.Options;
using RealName.Grains.Outlets;
using RealName.Grains.Subscribers;

namespace RealName.Grains.FraudReports;

/// <summary>Durable state of a fraud-report case.</summary>
[Alias("RealName.Grains.FraudReports.FraudReportState")]
[GenerateSerializer]
public sealed record FraudReportState
{
    [Id(0)] public FraudReportCase? Case { get; init; }
}

/// <summary>
/// One fraud report's case (the closed loop: verify, dispose, report back). Filing records the report on the number
/// and starts its re-review; while the case is open a durable reminder (FraudReports:CheckInterval) looks at the
/// number and moves the case on. Every step is in the audit log, with the authenticated caller (or "system").
/// </summary>
[GrainType("fraudreport")]
public sealed class FraudReportGrain(
    [PersistentState("fraud-report", GrainStorage.Name)] IPersistentState<FraudReportState> state,
    TimeProvider clock,
    IOptions<FraudReportOptions> options,
    AuditLog audit) : Grain, IFraudReportGrain, IRemindable
{
    internal const string CheckReminder = "fraud-report-check";

    private string ReportId => this.GetPrimaryKeyString();

    public async Task<FraudReportCase> File(FraudReportFiling filing)
    {
        if (state.State.Case is { } filed)
        {
            // A retry of the same report by the same caller answers the case as it stands; the same id for another
            // number, source or reference, or from another caller, is a conflict (never merged into this case).
            return filed.Filing == filing
                ? filed
                : throw new RequestConflictException($"Report {ReportId} was filed differently (number, source, reference or caller).");
        }

        var number = Number(filing.PhoneNumber);
        var now = clock.GetUtcNow();
        var trigger = await number.ReportFraud(filing.Actor, ReportId, WireCodes.Of(filing.Source));
        var record = await number.GetRecord();
        var reported = new FraudReportStep(now, "REPORTED", filing.Actor, Inv($"{WireCodes.Of(filing.Source)} report filed"));
        var fraudCase = new FraudReportCase(ReportId, filing, now, record?.RegisteredBy.CarrierId ?? "", record?.RegisteredBy.OutletId ?? "", FraudReportDisposition.None)
        {
            Trigger = trigger,
            Timeline = [reported],
        };

        if (trigger is ReReviewTriggerResult.Started or ReReviewTriggerResult.AlreadyRunning)
        {
            fraudCase = fraudCase with
            {
                Disposition = FraudReportDisposition.ReReviewStarted,
                Timeline = fraudCase.Timeline.Add(new FraudReportStep(now, "RE_REVIEW_STARTED", filing.Actor,
                    trigger == ReReviewTriggerResult.Started ? "the number must re-verify its holder's face" : "a re-review was already running")),
            };
        }

        // The reminder goes first: a crash after it leaves a reminder that finds the case, or none to follow.
        await this.RegisterOrUpdateReminder(CheckReminder, options.Value.CheckInterval, options.Value.CheckInterval);
        fraudCase = await Follow(fraudCase, record, now);
        await Save(fraudCase);
        return fraudCase;
    }

    public Task<FraudReportCase?> Get() => Task.FromResult(state.State.Case);

    public async Task<FraudReportAnswer> Close(FraudReportVerdict verdict, string feedback, string actor)
    {
        if (state.State.Case is not { } fraudCase)
        {
            return new FraudReportAnswer(null, new Refusal(RefusalCodes.FraudReportNotFound, "No fraud report has this id."));
        }

        var outcome = verdict == FraudReportVerdict.Unfounded ? FraudReportOutcome.Unfounded : FraudReportOutcome.FraudConfirmed;
        if (fraudCase.Closed)
        {
            // The same close repeated answers the same case; any other is refused: the outcome stands.
            return fraudCase.Outcome == outcome && fraudCase.Feedback == feedback && fraudCase.Timeline[^1].Actor == actor
                ? new FraudReportAnswer(fraudCase, null)
                : new FraudReportAnswer(fraudCase, new Refusal(RefusalCodes.FraudReportClosed, Inv($"The case is closed ({WireCodes.Of(fraudCase.Outcome!.Value)}).")));
        }

        var now = clock.GetUtcNow();
        var record = await Number(fraudCase.Filing.PhoneNumber).GetRecord();
        if (outcome == FraudReportOutcome.FraudConfirmed)
        {
            fraudCase = await Confirm(fraudCase, record, now, actor, ["FRAUD_CONFIRMED"], "a risk operator confirmed the fraud");
        }

        fraudCase = await Finish(fraudCase, record, now, outcome, feedback, actor);
        await Save(fraudCase);
        await this.UnregisterReminderIfAny(CheckReminder);
        return new FraudReportAnswer(fraudCase, null);
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName != CheckReminder)
        {
            return;
        }

        if (state.State.Case is not { Closed: false } fraudCase)
        {
            await this.UnregisterReminderIfAny(CheckReminder);
            return;
        }

        var now = clock.GetUtcNow();
        var followed = await Follow(fraudCase, await Number(fraudCase.Filing.PhoneNumber).GetRecord(), now);
        if (followed != fraudCase)
        {
            await Save(followed);
        }

        if (followed.Closed)
        {
            await this.UnregisterReminderIfAny(CheckReminder);
        }
    }

    /// <summary>Moves an open case on from what its number's record shows now.</summary>
    private async Task<FraudReportCase> Follow(FraudReportCase fraudCase, SubscriberRecord? record, DateTimeOffset now)
    {
        if (fraudCase.Closed)
        {
            return fraudCase;
        }

        switch (record?.Status)
        {
            case SubscriberStatus.Active when record.ReReview is null && fraudCase.Disposition != FraudReportDisposition.None:
                return await Finish(fraudCase, record, now, FraudReportOutcome.ReVerifiedKept,
                    "The holder re-verified their face against the enrolled identity; the number stays in service.", CallerContext.System);
            case SubscriberStatus.Suspended:
                var suspension = record.History.LastOrDefault(h => h.Status == SubscriberStatus.Suspended);
                if (fraudCase.Disposition != FraudReportDisposition.Suspended)
                {
                    // Suspended after the report: it failed or missed the re-review the report started, which confirms the
                    // fraud. Suspended before it: the cancellation clock starts now, but this report confirmed nothing.
                    var afterReport = suspension is { } s && s.At >= fraudCase.ReportedAt;
                    var since = afterReport ? suspension!.At : now;
                    fraudCase = fraudCase with
                    {
                        Disposition = FraudReportDisposition.Suspended,
                        CancelDueAt = since + options.Value.CancelAfter,
                        Timeline = fraudCase.Timeline.Add(new FraudReportStep(now, "SUSPENDED", CallerContext.System,
                            Inv($"the number is suspended ({string.Join(',', suspension?.Reasons ?? [])}); cancelled at {since + options.Value.CancelAfter:O} unless it re-verifies"))),
                    };
                    if (afterReport)
                    {
                        fraudCase = await Confirm(fraudCase, record, now, CallerContext.System, suspension!.Reasons, "the number failed or missed its re-review");
                    }
                }

                return fraudCase.CancelDueAt is { } due && now >= due ? await CancelNumber(fraudCase, record, now) : fraudCase;
            case SubscriberStatus.ReReviewRequired or SubscriberStatus.PendingReview or SubscriberStatus.Active:
                return fraudCase;
            default:
                // Never registered, rejected, or cancelled by someone else: nothing left to dispose of.
                return await Finish(fraudCase, record, now, FraudReportOutcome.NumberNotInService,
                    "The number is not in service; nothing was done.", CallerContext.System);
        }
    }

    /// <summary>关停: a fraud-linked number still suspended FraudReports:CancelAfter after it failed or missed its re-review.</summary>
    private async Task<FraudReportCase> CancelNumber(FraudReportCase fraudCase, SubscriberRecord record, DateTimeOffset now)
    {
        var cancelled = await Number(fraudCase.Filing.PhoneNumber).Cancel(CallerContext.System, "FRAUD_NOT_RE_VERIFIED");
        if (cancelled.Refusal is { Code: not RefusalCodes.AlreadyCancelled })
        {
            return fraudCase;
        }

        fraudCase = fraudCase with
        {
            Disposition = FraudReportDisposition.Cancelled,
            Timeline = fraudCase.Timeline.Add(new FraudReportStep(now, "CANCELLED", CallerContext.System,
                Inv($"the number stayed suspended {options.Value.CancelAfter} without re-verifying: cancelled (关停)"))),
        };
        return await Finish(fraudCase, record, now, FraudReportOutcome.Cancelled,
            "The number failed or missed its re-review and was cancelled.", CallerContext.System);
    }

    /// <summary>Fraud confirmed (once): audited, and charged to the outlet that opened the number.</summary>
    private async Task<FraudReportCase> Confirm(FraudReportCase fraudCase, SubscriberRecord? record, DateTimeOffset now, string actor, IEnumerable<string> reasons, string why)
    {
        if (fraudCase.FraudConfirmed)
        {
            return fraudCase;
        }

        await audit.AppendAsync(Event(DeterministicIds.FraudConfirmed, AuditEventTypes.FraudReportConfirmed, fraudCase, record, now, actor) with
        {
            Reasons = [.. reasons],
            Details = SubscriberAudit.Details(new { report_id = ReportId, source = WireCodes.Of(fraudCase.Filing.Source) }),
        });
        if (fraudCase.OutletId.Length > 0)
        {
            await GrainFactory.GetGrain<IOutletGrain>(fraudCase.OutletId).RecordConfirmedFraud(ReportId, now);
        }

        return fraudCase with
        {
            FraudConfirmed = true,
            Timeline = fraudCase.Timeline.Add(new FraudReportStep(now, "FRAUD_CONFIRMED", actor, why)),
        };
    }

    private async Task<FraudReportCase> Finish(FraudReportCase fraudCase, SubscriberRecord? record, DateTimeOffset now, FraudReportOutcome outcome, string feedback, string actor)
    {
        await audit.AppendAsync(Event(DeterministicIds.FraudClosed, AuditEventTypes.FraudReportClosed, fraudCase, record, now, actor) with
        {
            Decision = WireCodes.Of(outcome),
            Details = SubscriberAudit.Details(new { report_id = ReportId, source = WireCodes.Of(fraudCase.Filing.Source), feedback }),
        });
        return fraudCase with
        {
            Outcome = outcome,
            ClosedAt = now,
            Feedback = feedback,
            Disposition = fraudCase.Disposition,
            Timeline = fraudCase.Timeline.Add(new FraudReportStep(now, "CLOSED", actor, WireCodes.Of(outcome))),
        };
    }

    /// <summary>An event about the reported number, charged to the outlet that opened it (none when it was never registered).</summary>
    private AuditEvent Event(string idNamespace, string type, FraudReportCase fraudCase, SubscriberRecord? record, DateTimeOffset now, string actor)
    {
        var id = DeterministicIds.From(idNamespace, ReportId);
        return record is null
            ? new AuditEvent { EventId = id, OccurredAt = now, EventType = type, PhoneNumber = fraudCase.Filing.PhoneNumber, Actor = actor, Caller = CallerContext.Current }
            : SubscriberAudit.About(id, now, type, record, actor);
    }

    private async Task Save(FraudReportCase fraudCase)
    {
        state.State = state.State with { Case = fraudCase };
        await state.WriteStateAsync();
    }

    private ISubscriberGrain Number(string phoneNumber) => GrainFactory.GetGrain<ISubscriberGrain>(phoneNumber);

    private static string Inv(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
