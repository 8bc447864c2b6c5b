using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RealName.Grains.Campaigns;
using RealName.Grains.Subscribers;

namespace RealName.Grains.Outlets;

/// <summary>A confirmed fraud report charged to the outlet.</summary>
[Alias("RealName.Grains.Outlets.ConfirmedFraud")]
[GenerateSerializer, Immutable]
public sealed record ConfirmedFraud(
    [property: Id(0)] string ReportId,
    [property: Id(1)] DateTimeOffset ConfirmedAt);

/// <summary>Durable state of an outlet's accountability.</summary>
[Alias("RealName.Grains.Outlets.OutletState")]
[GenerateSerializer]
public sealed record OutletState
{
    /// <summary>Confirmed fraud reports within the window (older ones are dropped), counted since the last reinstatement.</summary>
    [Id(0)] public ImmutableList<ConfirmedFraud> Confirmed { get; init; } = [];

    [Id(1)] public OutletSuspension? Suspension { get; init; }

    /// <summary>Suspensions so far: numbers each suspension's audit events and campaign.</summary>
    [Id(2)] public int Suspensions { get; init; }
}

/// <summary>
/// One outlet's accountability (domain rule 8: outlets with bad records lose their agency and their registrations are
/// re-reviewed). Audits every suspension and reinstatement with the authenticated caller.
/// </summary>
[GrainType("outlet")]
public sealed partial class OutletGrain(
    [PersistentState("outlet", GrainStorage.Name)] IPersistentState<OutletState> state,
    TimeProvider clock,
    IOptions<OutletAccountabilityOptions> options,
    AuditLog audit,
    ILogger<OutletGrain> logger) : Grain, IOutletGrain
{
    /// <summary>Reason recorded for the automatic suspension.</summary>
    public const string FraudThreshold = "FRAUD_THRESHOLD";

    private string OutletId => this.GetPrimaryKeyString();

    public Task<OutletSuspension?> GetSuspension() => Task.FromResult(state.State.Suspension);

    public async Task RecordConfirmedFraud(string reportId, DateTimeOffset confirmedAt)
    {
        var now = clock.GetUtcNow();
        var confirmed = state.State.Confirmed.RemoveAll(c => c.ConfirmedAt < now - options.Value.Window);
        if (!confirmed.Any(c => c.ReportId == reportId))
        {
            confirmed = confirmed.Add(new ConfirmedFraud(reportId, confirmedAt));
        }

        state.State = state.State with { Confirmed = confirmed };
        if (state.State.Suspension is null && confirmed.Count >= options.Value.Threshold)
        {
            await SuspendNow(CallerContext.System, FraudThreshold, startCampaign: true, now);
            LogAutomaticallySuspended(logger, OutletId, confirmed.Count, options.Value.Window);
            return;
        }

        await state.WriteStateAsync();
    }

    public async Task<OutletSuspension> Suspend(string actor, string reason, bool startCampaign) =>
        state.State.Suspension ?? await SuspendNow(actor, reason, startCampaign, clock.GetUtcNow());

    public async Task<OutletAnswer> Reinstate(string actor, string reason)
    {
        var now = clock.GetUtcNow();
        if (state.State.Suspension is not { } suspension)
        {
            return new OutletAnswer(null, new Refusal(RefusalCodes.OutletNotSuspended, "The outlet is not suspended."), now);
        }

        await audit.AppendAsync(Event(DeterministicIds.OutletReinstated, AuditEventTypes.OutletReinstated, now, actor) with
        {
            Details = SubscriberAudit.Details(new { reason, suspended_at = suspension.SuspendedAt }),
        });
        // Reports confirmed before the reinstatement were answered by the suspension; they do not count again.
        state.State = state.State with { Suspension = null, Confirmed = [] };
        await state.WriteStateAsync();
        return new OutletAnswer(suspension, null, now);
    }

    private async Task<OutletSuspension> SuspendNow(string actor, string reason, bool startCampaign, DateTimeOffset now)
    {
        var number = state.State.Suspensions + 1;
        var campaignId = startCampaign ? "cmp-" + DeterministicIds.From(DeterministicIds.OutletCampaign, OutletId, Number(number)).ToString("N") : null;
        var suspension = new OutletSuspension(OutletId, now, actor, reason, state.State.Confirmed.Count, campaignId);
        await audit.AppendAsync(Event(DeterministicIds.OutletSuspended, AuditEventTypes.OutletSuspended, now, actor, number) with
        {
            Reasons = [reason == FraudThreshold ? FraudThreshold : "MANUAL"],
            Details = SubscriberAudit.Details(new { reason, confirmed_fraud_reports = suspension.ConfirmedFraudReports, window = options.Value.Window, campaign_id = campaignId }),
        });
        state.State = state.State with { Suspension = suspension, Suspensions = number };
        await state.WriteStateAsync();
        if (campaignId is not null)
        {
            // After the state write: the suspension holds even if the campaign has to be started again (Start is idempotent).
            await GrainFactory.GetGrain<ICampaignGrain>(campaignId).Start(new CampaignDefinition(OutletId, null, now - options.Value.CampaignLookback, now, actor));
        }

        return suspension;
    }

    private AuditEvent Event(string idNamespace, string type, DateTimeOffset now, string actor, int? number = null) => new()
    {
        EventId = DeterministicIds.From(idNamespace, OutletId, Number(number ?? state.State.Suspensions)),
        OccurredAt = now,
        EventType = type,
        OutletId = OutletId,
        Actor = actor,
        Caller = CallerContext.Current,
    };

    private static string Number(int n) => n.ToString(CultureInfo.InvariantCulture);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outlet {OutletId} suspended: {Confirmed} confirmed fraud reports within {Window}")]
    private static partial void LogAutomaticallySuspended(ILogger logger, string outletId, int confirmed, TimeSpan window);
}
