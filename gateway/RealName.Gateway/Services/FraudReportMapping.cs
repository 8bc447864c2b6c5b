using Google.Protobuf.WellKnownTypes;
using RealName.Contracts.V1;
using RealName.Grains.FraudReports;
using RealName.Grains.Outlets;
using RealName.Storage.Reads;
using GrainFraudReportSource = RealName.Grains.FraudReports.FraudReportSource;

namespace RealName.Gateway.Services;

/// <summary>Fraud-report cases and outlet suspensions between the grains and the contract.</summary>
internal static class FraudReportMapping
{
    public static GrainFraudReportSource? ToGrain(this Contracts.V1.FraudReportSource source) => source switch
    {
        Contracts.V1.FraudReportSource.PoliceNotice => GrainFraudReportSource.PoliceNotice,
        Contracts.V1.FraudReportSource.UserReport => GrainFraudReportSource.UserReport,
        Contracts.V1.FraudReportSource.InternalModel => GrainFraudReportSource.InternalModel,
        _ => null,
    };

    public static Grains.FraudReports.FraudReportVerdict? ToGrain(this Contracts.V1.FraudReportVerdict verdict) => verdict switch
    {
        Contracts.V1.FraudReportVerdict.Unfounded => Grains.FraudReports.FraudReportVerdict.Unfounded,
        Contracts.V1.FraudReportVerdict.FraudConfirmed => Grains.FraudReports.FraudReportVerdict.FraudConfirmed,
        _ => null,
    };

    public static FraudReport ToContract(this FraudReportCase c)
    {
        var report = new FraudReport
        {
            ReportId = c.ReportId,
            PhoneNumber = c.Filing.PhoneNumber,
            Source = c.Filing.Source switch
            {
                GrainFraudReportSource.PoliceNotice => Contracts.V1.FraudReportSource.PoliceNotice,
                GrainFraudReportSource.UserReport => Contracts.V1.FraudReportSource.UserReport,
                GrainFraudReportSource.InternalModel => Contracts.V1.FraudReportSource.InternalModel,
                _ => Contracts.V1.FraudReportSource.Unspecified,
            },
            SourceReference = c.Filing.SourceReference ?? "",
            ReportedBy = c.Filing.Actor,
            ReportedAt = Timestamp.FromDateTimeOffset(c.ReportedAt),
            Status = c.Closed ? FraudReportStatus.Closed : FraudReportStatus.Open,
            Disposition = c.Disposition switch
            {
                Grains.FraudReports.FraudReportDisposition.None => Contracts.V1.FraudReportDisposition.None,
                Grains.FraudReports.FraudReportDisposition.ReReviewStarted => Contracts.V1.FraudReportDisposition.ReReviewStarted,
                Grains.FraudReports.FraudReportDisposition.Suspended => Contracts.V1.FraudReportDisposition.Suspended,
                Grains.FraudReports.FraudReportDisposition.Cancelled => Contracts.V1.FraudReportDisposition.Cancelled,
                _ => Contracts.V1.FraudReportDisposition.Unspecified,
            },
            Outcome = c.Outcome switch
            {
                Grains.FraudReports.FraudReportOutcome.ReVerifiedKept => Contracts.V1.FraudReportOutcome.ReVerifiedKept,
                Grains.FraudReports.FraudReportOutcome.Cancelled => Contracts.V1.FraudReportOutcome.Cancelled,
                Grains.FraudReports.FraudReportOutcome.Unfounded => Contracts.V1.FraudReportOutcome.Unfounded,
                Grains.FraudReports.FraudReportOutcome.FraudConfirmed => Contracts.V1.FraudReportOutcome.FraudConfirmed,
                Grains.FraudReports.FraudReportOutcome.NumberNotInService => Contracts.V1.FraudReportOutcome.NumberNotInService,
                _ => Contracts.V1.FraudReportOutcome.Unspecified,
            },
            FraudConfirmed = c.FraudConfirmed,
            CancelDueAt = c.CancelDueAt is { } due ? Timestamp.FromDateTimeOffset(due) : null,
            ClosedAt = c.ClosedAt is { } closed ? Timestamp.FromDateTimeOffset(closed) : null,
            Feedback = c.Feedback,
            OutletId = c.OutletId,
        };
        report.Timeline.AddRange(c.Timeline.Select(s => new Contracts.V1.FraudReportStep
        {
            At = Timestamp.FromDateTimeOffset(s.At),
            Step = s.Step,
            Actor = s.Actor,
            Detail = s.Detail,
        }));
        return report;
    }

    public static Contracts.V1.OutletSuspension ToContract(this Grains.Outlets.OutletSuspension s) =>
        Suspension(s.OutletId, s.SuspendedAt, s.SuspendedBy, s.Reason, s.ConfirmedFraudReports, s.CampaignId);

    public static Contracts.V1.OutletSuspension ToContract(this SuspendedOutletData s) =>
        Suspension(s.OutletId, s.SuspendedAt, s.SuspendedBy, s.Reason, s.ConfirmedFraudReports, s.CampaignId);

    private static Contracts.V1.OutletSuspension Suspension(string outletId, DateTimeOffset at, string by, string reason, int confirmed, string? campaignId) => new()
    {
        OutletId = outletId,
        SuspendedAt = Timestamp.FromDateTimeOffset(at),
        SuspendedBy = by,
        Reason = reason,
        ConfirmedFraudReports = confirmed,
        CampaignId = campaignId ?? "",
    };
}
