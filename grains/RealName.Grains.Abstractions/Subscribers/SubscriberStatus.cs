namespace RealName.Grains.Subscribers;

/// <summary>Lifecycle of a phone number.</summary>
[Alias("RealName.Grains.Subscribers.SubscriberStatus")]
public enum SubscriberStatus
{
    /// <summary>No registration exists for the number.</summary>
    None = 0,
    Active = 1,
    PendingReview = 2,
    ReReviewRequired = 3,
    Suspended = 4,
    Cancelled = 5,
    Rejected = 6,
}
