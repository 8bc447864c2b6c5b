using System.Collections.Immutable;
using RealName.Grains.Subscribers;
using RealName.Rules;

namespace RealName.Grains.FraudReports;

/// <summary>Where a fraud report came from.</summary>
[Alias("RealName.Grains.FraudReports.FraudReportSource")]
public enum FraudReportSource
{
    PoliceNotice = 1,
    UserReport = 2,
    InternalModel = 3,
}

/// <summary>The latest action taken on a reported number.</summary>
[Alias("RealName.Grains.FraudReports.FraudReportDisposition")]
public enum FraudReportDisposition
{
    /// <summary>Nothing could be done: the number was not in service.</summary>
    None = 1,
    ReReviewStarted = 2,
    Suspended = 3,
    Cancelled = 4,
}

/// <summary>How a fraud-report case ended.</summary>
[Alias("RealName.Grains.FraudReports.FraudReportOutcome")]
public enum FraudReportOutcome
{
    ReVerifiedKept = 1,
    Cancelled = 2,
    Unfounded = 3,
    FraudConfirmed = 4,
    NumberNotInService = 5,
}

/// <summary>A risk operator's verdict when closing a case by hand.</summary>
[Alias("RealName.Grains.FraudReports.FraudReportVerdict")]
public enum FraudReportVerdict
{
    Unfounded = 1,
    FraudConfirmed = 2,
}

/// <summary>A fraud report as risk operations file it; the actor is the authenticated caller.</summary>
[Alias("RealName.Grains.FraudReports.FraudReportFiling")]
[GenerateSerializer, Immutable]
public sealed record FraudReportFiling(
    [property: Id(0)] string PhoneNumber,
    [property: Id(1)] FraudReportSource Source,
    [property: Id(2)] string? SourceReference,
    [property: Id(3)] string Actor);

/// <summary>One step of a case: what happened, when, and who acted (a caller, or "system").</summary>
[Alias("RealName.Grains.FraudReports.FraudReportStep")]
[GenerateSerializer, Immutable]
public sealed record FraudReportStep(
    [property: Id(0)] DateTimeOffset At,
    [property: Id(1)] string Step,
    [property: Id(2)] string Actor,
    [property: Id(3)] string Detail);

/// <summary>A fraud report's case: the closed loop of verification, disposition, outcome and feedback to the reporter.</summary>
[Alias("RealName.Grains.FraudReports.FraudReportCase")]
[GenerateSerializer, Immutable]
public sealed record FraudReportCase(
    [property: Id(0)] string ReportId,
    [property: Id(1)] FraudReportFiling Filing,
    [property: Id(2)] DateTimeOffset ReportedAt,
    [property: Id(3)] string CarrierId,
    [property: Id(4)] string OutletId,
    [property: Id(5)] FraudReportDisposition Disposition)
{
    [Id(6)] public FraudReportOutcome? Outcome { get; init; }

    /// <summary>Fraud confirmed: the number failed or missed its re-review after the report, or an operator found so.</summary>
    [Id(7)] public bool FraudConfirmed { get; init; }

    /// <summary>When the number is cancelled (关停) if it stays suspended.</summary>
    [Id(8)] public DateTimeOffset? CancelDueAt { get; init; }

    [Id(9)] public DateTimeOffset? ClosedAt { get; init; }

    /// <summary>Feedback for the reporter.</summary>
    [Id(10)] public string Feedback { get; init; } = "";

    [Id(11)] public ImmutableList<FraudReportStep> Timeline { get; init; } = [];

    /// <summary>What the re-review trigger did when the report was filed (answered again to a retried report).</summary>
    [Id(12)] public ReReviewTriggerResult Trigger { get; init; } = ReReviewTriggerResult.NotActive;

    public bool Closed => Outcome is not null;
}

/// <summary>A case, or why a request about it was refused.</summary>
[Alias("RealName.Grains.FraudReports.FraudReportAnswer")]
[GenerateSerializer, Immutable]
public sealed record FraudReportAnswer(
    [property: Id(0)] FraudReportCase? Case,
    [property: Id(1)] Refusal? Refusal);

/// <summary>
/// One fraud report (grain key: the report id). Filing records the report against the number and starts its
/// re-review; a durable reminder then follows the number: a pass closes the case (kept), a failed or missed
/// re-review confirms the fraud (charged to the outlet that opened the number) and, if the number is still
/// suspended FraudReports:CancelAfter later, cancels it (关停). Operators can close a case by hand.
/// </summary>
[Alias("RealName.Grains.FraudReports.IFraudReportGrain")]
public interface IFraudReportGrain : IGrainWithStringKey
{
    /// <summary>Files the report; a retry with the same report id and number returns the case as it stands.</summary>
    Task<FraudReportCase> File(FraudReportFiling filing);

    /// <summary>The case, or null when no report has this id.</summary>
    [Orleans.Concurrency.AlwaysInterleave]
    Task<FraudReportCase?> Get();

    /// <summary>Closes an open case by hand with a verdict and feedback; repeating the same close answers the same case.</summary>
    Task<FraudReportAnswer> Close(FraudReportVerdict verdict, string feedback, string actor);
}
