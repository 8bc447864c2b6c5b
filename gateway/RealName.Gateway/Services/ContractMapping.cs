using Google.Protobuf.WellKnownTypes;
using RealName.Contracts.V1;
using RealName.Grains.Subscribers;
using GrainChannelKind = RealName.Grains.ChannelKind;
using GrainDocumentKind = RealName.Grains.DocumentKind;

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
            DocumentType = record.Owner.DocumentKind.ToContract(),
            MaskedDocumentNumber = record.Owner.MaskedDocumentNumber,
            MaskedName = record.Owner.MaskedName,
            RegisteredBy = record.RegisteredBy.ToContract(),
            RegisteredAt = Timestamp.FromDateTimeOffset(record.RegisteredAt),
        };
        subscriber.History.AddRange(record.History.Select(h => h.ToContract()));
        return subscriber;
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

    public static Contracts.V1.SubscriberStatus ToContract(this Grains.Subscribers.SubscriberStatus status) => status switch
    {
        Grains.Subscribers.SubscriberStatus.Active => Contracts.V1.SubscriberStatus.Active,
        Grains.Subscribers.SubscriberStatus.PendingReview => Contracts.V1.SubscriberStatus.PendingReview,
        Grains.Subscribers.SubscriberStatus.ReReviewRequired => Contracts.V1.SubscriberStatus.ReReviewRequired,
        Grains.Subscribers.SubscriberStatus.Suspended => Contracts.V1.SubscriberStatus.Suspended,
        Grains.Subscribers.SubscriberStatus.Cancelled => Contracts.V1.SubscriberStatus.Cancelled,
        Grains.Subscribers.SubscriberStatus.Rejected => Contracts.V1.SubscriberStatus.Rejected,
        _ => Contracts.V1.SubscriberStatus.Unspecified,
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
