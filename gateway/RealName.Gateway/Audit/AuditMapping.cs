using Google.Protobuf.WellKnownTypes;
using RealName.Contracts.V1;
using RealName.Grains.Campaigns;
using RealName.Storage.Reads;

namespace RealName.Gateway.Audit;

/// <summary>Report and log records to contract messages.</summary>
public static class AuditMapping
{
    public static ReportRow ToContract(this ReportRowData row)
    {
        var contract = new ReportRow
        {
            BucketStart = Timestamp.FromDateTimeOffset(row.BucketStart),
            BucketLabel = row.BucketLabel,
            DimensionValue = row.DimensionValue,
            Registrations = row.Registrations,
            RegistrationsApproved = row.RegistrationsApproved,
            FaceCompared = row.FaceCompared,
            FaceMatched = row.FaceMatched,
            ManualReviews = row.ManualReviews,
            ReviewsApproved = row.ReviewsApproved,
            ReviewsRejected = row.ReviewsRejected,
            Refusals = row.Refusals,
            ReReviewsTriggered = row.ReReviewsTriggered,
            ReReviewsPassed = row.ReReviewsPassed,
            ReReviewsFailed = row.ReReviewsFailed,
            ReReviewsOverdue = row.ReReviewsOverdue,
            Suspensions = row.Suspensions,
            Restorations = row.Restorations,
            FraudReportedNumbers = row.FraudReportedNumbers,
            FaceLinkedRegistrations = row.FaceLinkedRegistrations,
            FraudConfirmedRegistrations = row.FraudConfirmedRegistrations,
        };
        if (row.ConsistencyRate is { } rate)
        {
            contract.ConsistencyRate = rate;
        }

        foreach (var (reason, count) in row.RefusalsByReason)
        {
            contract.RefusalsByReason[reason] = count;
        }

        return contract;
    }

    public static AuditEventRecord ToContract(this ChainedAuditEvent chained)
    {
        var e = chained.Event;
        var record = new AuditEventRecord
        {
            Seq = chained.Seq,
            EventId = e.EventId.ToString("D"),
            OccurredAt = Timestamp.FromDateTimeOffset(e.OccurredAt),
            EventType = e.EventType,
            PhoneNumber = e.PhoneNumber ?? "",
            IdentityKey = e.IdentityKey ?? "",
            CarrierId = e.CarrierId ?? "",
            ChannelKind = e.ChannelKind ?? "",
            Region = e.Region ?? "",
            OutletId = e.OutletId ?? "",
            ClerkId = e.ClerkId ?? "",
            DeviceId = e.DeviceId ?? "",
            Caller = e.Caller ?? "",
            HashVersion = e.HashVersion,
            CardType = e.CardType ?? "",
            Decision = e.Decision ?? "",
            FaceCompared = e.FaceCompared,
            FaceDecision = e.FaceDecision ?? "",
            ModelVersion = e.ModelVersion ?? "",
            Actor = e.Actor,
            StatusAfter = e.StatusAfter ?? "",
            Details = e.Details ?? "",
            PersonalDetails = e.PersonalDetails ?? "",
            PersonalDigest = e.PersonalDigest ?? "",
            PrevHash = Convert.ToHexStringLower(chained.PrevHash),
            Hash = Convert.ToHexStringLower(chained.Hash),
        };
        if (e.FaceScore is { } score)
        {
            record.FaceScore = score;
        }

        record.Reasons.AddRange(e.Reasons);
        return record;
    }

    public static ReReviewCampaign ToContract(this CampaignProgress progress)
    {
        var campaign = new ReReviewCampaign
        {
            CampaignId = progress.CampaignId,
            OutletId = progress.Definition.OutletId ?? "",
            ClerkId = progress.Definition.ClerkId ?? "",
            From = Timestamp.FromDateTimeOffset(progress.Definition.From),
            To = Timestamp.FromDateTimeOffset(progress.Definition.To),
            Actor = progress.Definition.Actor,
            State = progress.Completed ? CampaignState.Completed : CampaignState.Running,
            Targets = progress.Targets,
            Processed = progress.Processed,
            Started = progress.Started,
            AlreadyRunning = progress.AlreadyRunning,
            NotActive = progress.NotActive,
            Failed = progress.Failed,
            CreatedAt = Timestamp.FromDateTimeOffset(progress.CreatedAt),
        };
        if (progress.CompletedAt is { } completed)
        {
            campaign.CompletedAt = Timestamp.FromDateTimeOffset(completed);
        }

        return campaign;
    }

    public static Storage.Reads.ReportBucket? ToStorage(this TimeBucket bucket) => bucket switch
    {
        TimeBucket.Day => Storage.Reads.ReportBucket.Day,
        TimeBucket.Week => Storage.Reads.ReportBucket.Week,
        TimeBucket.Month => Storage.Reads.ReportBucket.Month,
        TimeBucket.Period => Storage.Reads.ReportBucket.Period,
        _ => null,
    };

    public static Storage.Reads.ReportDimension? ToStorage(this Contracts.V1.ReportDimension dimension) => dimension switch
    {
        Contracts.V1.ReportDimension.Unspecified or Contracts.V1.ReportDimension.None => Storage.Reads.ReportDimension.None,
        Contracts.V1.ReportDimension.ChannelKind => Storage.Reads.ReportDimension.ChannelKind,
        Contracts.V1.ReportDimension.Carrier => Storage.Reads.ReportDimension.Carrier,
        Contracts.V1.ReportDimension.Region => Storage.Reads.ReportDimension.Region,
        Contracts.V1.ReportDimension.Outlet => Storage.Reads.ReportDimension.Outlet,
        Contracts.V1.ReportDimension.Clerk => Storage.Reads.ReportDimension.Clerk,
        Contracts.V1.ReportDimension.CardType => Storage.Reads.ReportDimension.CardType,
        _ => null,
    };

    public static ChainProblem ToContract(this ChainProblemKind problem) => problem switch
    {
        ChainProblemKind.SeqGap => ChainProblem.SeqGap,
        ChainProblemKind.PrevHashMismatch => ChainProblem.PrevHashMismatch,
        ChainProblemKind.HashMismatch => ChainProblem.HashMismatch,
        ChainProblemKind.HeadMismatch => ChainProblem.HeadMismatch,
        ChainProblemKind.CheckpointMismatch => ChainProblem.CheckpointMismatch,
        ChainProblemKind.CheckpointSignatureInvalid => ChainProblem.CheckpointSignatureInvalid,
        ChainProblemKind.CheckpointMissing => ChainProblem.CheckpointMissing,
        _ => ChainProblem.Unspecified,
    };
}
