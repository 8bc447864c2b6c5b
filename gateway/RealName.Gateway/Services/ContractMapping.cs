using Google.Protobuf.WellKnownTypes;
using RealName.Contracts.V1;
using RealName.Grains.Subscribers;
using RealName.Rules;
using GrainCardType = RealName.Rules.CardType;
using GrainChannelKind = RealName.Rules.ChannelKind;
using GrainDocumentKind = RealName.Rules.DocumentKind;
using GrainTrigger = RealName.Rules.ReReviewTrigger;

namespace RealName.Gateway.Services;

/// <summary>Grain records to contract messages. Only masked identity data ever leaves the grid.</summary>
public static class ContractMapping
{
    public static Subscriber ToContract(this SubscriberRecord record)
    {
        var subscriber = new Subscriber
        {
            PhoneNumber = record.PhoneNumber,
            Status = record.Status.ToContract(),
            DocumentType = record.Owner?.DocumentKind.ToContract() ?? DocumentType.Unspecified,
            MaskedDocumentNumber = record.Owner?.MaskedDocumentNumber ?? "",
            MaskedName = record.Owner?.MaskedName ?? "",
            RegisteredBy = record.RegisteredBy.ToContract(),
            RegisteredAt = Timestamp.FromDateTimeOffset(record.RegisteredAt),
            CardType = record.CardType.ToContract(),
            ReviewCaseId = record.ReviewCaseId ?? "",
            MaskedAgentDocumentNumber = record.Agent?.MaskedDocumentNumber ?? "",
        };
        subscriber.History.AddRange(record.History.Select(h => h.ToContract()));
        subscriber.Faces.AddRange(record.Faces.Select(f => f.ToContract()));
        if (record.ReReview is { } running)
        {
            subscriber.ReReview = new ReReview
            {
                Trigger = running.Trigger.ToContract(),
                StartedAt = Timestamp.FromDateTimeOffset(running.StartedAt),
                Deadline = Timestamp.FromDateTimeOffset(running.Deadline),
                ReviewCaseId = running.ReviewCaseId ?? "",
            };
        }

        if (record.Enterprise is { } enterprise)
        {
            subscriber.Enterprise = new Enterprise { CreditCode = enterprise.CreditCode, Name = enterprise.Name };
        }

        if (record.Iot is { } iot)
        {
            subscriber.Iot = new Contracts.V1.IotProfile { Voice = iot.Voice, Sms = iot.Sms, DirectionalDataOnly = iot.DirectionalDataOnly, MonthlyDataMb = iot.MonthlyDataMb };
        }

        return subscriber;
    }

    public static FaceResult ToContract(this FaceSummary face)
    {
        var result = new FaceResult { Person = face.Person, Decision = face.Decision, ModelVersion = face.ModelVersion };
        if (face.Score is { } score)
        {
            result.Score = score;
        }

        result.Reasons.AddRange(face.Reasons);
        return result;
    }

    public static Contracts.V1.HistoryEntry ToContract(this Grains.Subscribers.HistoryEntry entry)
    {
        var contract = new Contracts.V1.HistoryEntry
        {
            At = Timestamp.FromDateTimeOffset(entry.At),
            Event = entry.Event,
            Status = entry.Status.ToContract(),
            Actor = entry.Actor,
        };
        contract.Reasons.AddRange(entry.Reasons);
        return contract;
    }

    public static ChannelContext ToContract(this Grains.ChannelFacts facts) => new()
    {
        Kind = facts.Kind == GrainChannelKind.Retail ? Contracts.V1.ChannelKind.Retail : Contracts.V1.ChannelKind.Online,
        CarrierId = facts.CarrierId,
        Region = facts.Region,
        OutletId = facts.OutletId,
        ClerkId = facts.ClerkId,
        DeviceId = facts.DeviceId,
    };

    public static Contracts.V1.SubscriberStatus ToContract(this RealName.Rules.SubscriberStatus status) => status switch
    {
        RealName.Rules.SubscriberStatus.Active => Contracts.V1.SubscriberStatus.Active,
        RealName.Rules.SubscriberStatus.PendingReview => Contracts.V1.SubscriberStatus.PendingReview,
        RealName.Rules.SubscriberStatus.ReReviewRequired => Contracts.V1.SubscriberStatus.ReReviewRequired,
        RealName.Rules.SubscriberStatus.Suspended => Contracts.V1.SubscriberStatus.Suspended,
        RealName.Rules.SubscriberStatus.Cancelled => Contracts.V1.SubscriberStatus.Cancelled,
        RealName.Rules.SubscriberStatus.Rejected => Contracts.V1.SubscriberStatus.Rejected,
        _ => Contracts.V1.SubscriberStatus.Unspecified,
    };

    public static Contracts.V1.CardType ToContract(this GrainCardType cardType) => cardType switch
    {
        GrainCardType.Corporate => Contracts.V1.CardType.Corporate,
        GrainCardType.Iot => Contracts.V1.CardType.Iot,
        _ => Contracts.V1.CardType.Personal,
    };

    public static Contracts.V1.ReReviewTrigger ToContract(this GrainTrigger trigger) => trigger switch
    {
        GrainTrigger.FraudReport => Contracts.V1.ReReviewTrigger.FraudReport,
        GrainTrigger.Dispute => Contracts.V1.ReReviewTrigger.Dispute,
        GrainTrigger.SimReplacement => Contracts.V1.ReReviewTrigger.SimReplacement,
        GrainTrigger.DormantReactivation => Contracts.V1.ReReviewTrigger.DormantReactivation,
        GrainTrigger.ManyCards => Contracts.V1.ReReviewTrigger.ManyCards,
        GrainTrigger.RiskAlert => Contracts.V1.ReReviewTrigger.RiskAlert,
        GrainTrigger.Periodic => Contracts.V1.ReReviewTrigger.Periodic,
        GrainTrigger.Campaign => Contracts.V1.ReReviewTrigger.Campaign,
        GrainTrigger.Manual => Contracts.V1.ReReviewTrigger.Manual,
        _ => Contracts.V1.ReReviewTrigger.Unspecified,
    };

    public static ReReviewTriggerOutcome ToContract(this ReReviewTriggerResult result) => result switch
    {
        ReReviewTriggerResult.Started => ReReviewTriggerOutcome.Started,
        ReReviewTriggerResult.AlreadyRunning => ReReviewTriggerOutcome.AlreadyRunning,
        _ => ReReviewTriggerOutcome.NotActive,
    };

    public static DocumentType ToContract(this GrainDocumentKind kind) => kind switch
    {
        GrainDocumentKind.ResidentId => DocumentType.ResidentId,
        GrainDocumentKind.TemporaryResidentId => DocumentType.TemporaryResidentId,
        GrainDocumentKind.HouseholdRegister => DocumentType.HouseholdRegister,
        GrainDocumentKind.MilitaryId => DocumentType.MilitaryId,
        GrainDocumentKind.HongKongMacauPermit => DocumentType.HkMacauPermit,
        GrainDocumentKind.TaiwanPermit => DocumentType.TaiwanPermit,
        GrainDocumentKind.ForeignPassport => DocumentType.ForeignPassport,
        _ => DocumentType.Unspecified,
    };
}
