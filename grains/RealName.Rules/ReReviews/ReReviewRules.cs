namespace RealName.Rules;

/// <summary>
/// Dynamic re-review (动态复核): only a number in service (ACTIVE) can be put into re-review; one already in
/// re-review keeps its deadline; the holder has <see cref="ReReviewOptions.Deadline"/> to pass. A new live
/// photo answers a re-review while the number is RE_REVIEW_REQUIRED or SUSPENDED (a pass restores it).
/// </summary>
public static class ReReviewRules
{
    /// <summary>What a trigger does to a number in <paramref name="status"/> (<see cref="SubscriberStatus.None"/> when never registered).</summary>
    public static ReReviewTriggerResult OnTrigger(SubscriberStatus status) => status switch
    {
        SubscriberStatus.Active => ReReviewTriggerResult.Started,
        SubscriberStatus.ReReviewRequired => ReReviewTriggerResult.AlreadyRunning,
        _ => ReReviewTriggerResult.NotActive,
    };

    /// <summary>When the holder must have passed a re-review started at <paramref name="startedAt"/>.</summary>
    public static DateTimeOffset Deadline(DateTimeOffset startedAt, ReReviewOptions options) => startedAt + options.Deadline;

    /// <summary>Whether a missed deadline suspends the number now (not while a reviewer holds a case).</summary>
    public static bool IsOverdue(DateTimeOffset deadline, bool reviewerHoldsCase, DateTimeOffset now) => now >= deadline && !reviewerHoldsCase;

    /// <summary>A new live photo answers a re-review only while one is running or the number was suspended by one.</summary>
    public static RuleViolation? CheckReVerification(SubscriberStatus status, bool hasReReview) =>
        hasReReview && status is SubscriberStatus.ReReviewRequired or SubscriberStatus.Suspended
            ? null
            : new(ReasonCode.NoReReviewPending, "", "The number has no re-review to answer.");

    /// <summary>
    /// Triggers risk operators may name in TriggerReReview: fraud reports and disputes have their own calls
    /// (they record the report first), campaigns come from a campaign.
    /// </summary>
    public static RuleViolation? CheckOperatorTrigger(ReReviewTrigger? trigger, string field = "trigger") =>
        trigger is ReReviewTrigger.SimReplacement or ReReviewTrigger.DormantReactivation or ReReviewTrigger.ManyCards
            or ReReviewTrigger.RiskAlert or ReReviewTrigger.Periodic or ReReviewTrigger.Manual
            ? null
            : new(ReasonCode.TriggerNotAllowed, field,
                "one of SIM_REPLACEMENT, DORMANT_REACTIVATION, MANY_CARDS, RISK_ALERT, PERIODIC, MANUAL (fraud reports and disputes have their own calls)");
}
