using RealName.Grains.Subscribers;

namespace RealName.Grains.Outlets;

/// <summary>An outlet's suspension: when, by whom, why, and the re-review campaign it started.</summary>
[Alias("RealName.Grains.Outlets.OutletSuspension")]
[GenerateSerializer, Immutable]
public sealed record OutletSuspension(
    [property: Id(0)] string OutletId,
    [property: Id(1)] DateTimeOffset SuspendedAt,
    [property: Id(2)] string SuspendedBy,
    [property: Id(3)] string Reason,
    [property: Id(4)] int ConfirmedFraudReports,
    [property: Id(5)] string? CampaignId);

/// <summary>A suspension, or why a request was refused.</summary>
[Alias("RealName.Grains.Outlets.OutletAnswer")]
[GenerateSerializer, Immutable]
public sealed record OutletAnswer(
    [property: Id(0)] OutletSuspension? Suspension,
    [property: Id(1)] Refusal? Refusal,
    [property: Id(2)] DateTimeOffset At);

/// <summary>
/// One outlet's accountability (grain key: the outlet id): the confirmed fraud reports against numbers it opened, and
/// its suspension. Past OutletAccountability:Threshold confirmed reports within OutletAccountability:Window it suspends
/// itself and starts a re-review campaign over its recent registrations; a suspended outlet's registrations are
/// refused (OUTLET_SUSPENDED) until a risk operator reinstates it.
/// </summary>
[Alias("RealName.Grains.Outlets.IOutletGrain")]
public interface IOutletGrain : IGrainWithStringKey
{
    /// <summary>The current suspension, or null when the outlet may register.</summary>
    [Orleans.Concurrency.AlwaysInterleave]
    Task<OutletSuspension?> GetSuspension();

    /// <summary>Counts a confirmed fraud report (once per report id); suspends the outlet at the threshold.</summary>
    Task RecordConfirmedFraud(string reportId, DateTimeOffset confirmedAt);

    /// <summary>Suspends by hand (an already suspended outlet keeps its suspension).</summary>
    Task<OutletSuspension> Suspend(string actor, string reason, bool startCampaign);

    /// <summary>Reinstates a suspended outlet; refused with OUTLET_NOT_SUSPENDED otherwise.</summary>
    Task<OutletAnswer> Reinstate(string actor, string reason);
}
