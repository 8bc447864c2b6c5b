namespace RealName.Grains.Subscribers;

/// <summary>Why a number must be re-verified (动态复核). The wire/audit code is the upper-snake name.</summary>
[Alias("RealName.Grains.Subscribers.ReReviewTrigger")]
public enum ReReviewTrigger
{
    FraudReport = 1,
    Dispute = 2,
    SimReplacement = 3,
    DormantReactivation = 4,
    ManyCards = 5,
    RiskAlert = 6,
    Periodic = 7,
    Campaign = 8,
    Manual = 9,
}

/// <summary>What a trigger did to the number.</summary>
[Alias("RealName.Grains.Subscribers.ReReviewTriggerResult")]
public enum ReReviewTriggerResult
{
    /// <summary>The number is now RE_REVIEW_REQUIRED with a new deadline.</summary>
    Started = 1,

    /// <summary>A re-review was already running; its deadline stands.</summary>
    AlreadyRunning = 2,

    /// <summary>The number is not in service (never registered, pending, suspended, cancelled or rejected).</summary>
    NotActive = 3,
}
