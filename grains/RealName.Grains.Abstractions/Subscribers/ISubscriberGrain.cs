using System.Collections.Immutable;
using Orleans.Concurrency;
using RealName.Rules;

namespace RealName.Grains.Subscribers;

/// <summary>Why a rule refused a request. <see cref="Code"/> is the machine-readable reason clients see.</summary>
[Alias("RealName.Grains.Subscribers.Refusal")]
[GenerateSerializer, Immutable]
public sealed record Refusal(
    [property: Id(0)] string Code,
    [property: Id(1)] string Message)
{
    /// <summary>Extra machine-readable facts (e.g. which person's image, the score).</summary>
    [Id(2)] public ImmutableDictionary<string, string> Details { get; init; } = ImmutableDictionary<string, string>.Empty;

    /// <summary>Key of <see cref="Details"/> naming the request field the rule is about (e.g. customer.document.valid_until).</summary>
    public const string FieldDetail = "field";

    /// <summary>The refusal a rule of the rule book gave: its wire reason, message, details and field.</summary>
    public static Refusal From(RuleViolation violation) => new(violation.Reason, violation.Message)
    {
        Details = violation.Field.Length == 0 ? violation.Details : violation.Details.SetItem(FieldDetail, violation.Field),
    };
}

/// <summary>The outcome of a request that changes a number: the stored record, or the rule that refused it.</summary>
[Alias("RealName.Grains.Subscribers.RegistrationOutcome")]
[GenerateSerializer, Immutable]
public sealed record RegistrationOutcome(
    [property: Id(0)] SubscriberRecord? Record,
    [property: Id(1)] Refusal? Refusal,
    [property: Id(2)] bool Replayed);

/// <summary>A new live photo for a re-review, and where it was taken.</summary>
[Alias("RealName.Grains.Subscribers.ReVerification")]
[GenerateSerializer, Immutable]
public sealed record ReVerification(
    [property: Id(0)] string RequestId,
    [property: Id(1)] byte[] Live,
    [property: Id(2)] ChannelFacts PerformedAt)
{
    /// <summary>
    /// The document portrait read at the re-review (optional). Needed only when the enrolled face is from another
    /// face model: the live photo is then compared with it, and the identity re-enrolled on a pass.
    /// </summary>
    [Id(3)] public byte[]? Portrait { get; init; }

    /// <summary>A digest of the request as sent, remembered with its request id (see <see cref="RegistrationRequest.Fingerprint"/>).</summary>
    [Id(4)] public string Fingerprint { get; init; } = "";
}

/// <summary>A raw image kept for a registration's manual review (Evidence:KeepImages): whose, which, and the bytes.</summary>
[Alias("RealName.Grains.Subscribers.EvidenceImage")]
[GenerateSerializer, Immutable]
public sealed record EvidenceImage(
    [property: Id(0)] string Person,
    [property: Id(1)] string Kind,
    [property: Id(2)] byte[] Image);

/// <summary>A reviewer's decision on a manual-review case.</summary>
[Alias("RealName.Grains.Subscribers.ReviewDecision")]
[GenerateSerializer, Immutable]
public sealed record ReviewDecision(
    [property: Id(0)] string CaseId,
    [property: Id(1)] string ReviewerId,
    [property: Id(2)] bool Approve,
    [property: Id(3)] string Reason);

/// <summary>
/// A registration the gateway refused on a document rule (expired, bad check digit, impossible birth
/// date…) before it reached the rules here: the number's grain records it, as it records its own decisions.
/// </summary>
[Alias("RealName.Grains.Subscribers.DocumentRefusal")]
[GenerateSerializer, Immutable]
public sealed record DocumentRefusal(
    [property: Id(0)] string IdempotencyKey,
    [property: Id(1)] ChannelFacts Channel,
    [property: Id(2)] CardType CardType,
    [property: Id(3)] ImmutableArray<string> ReasonCodes);

/// <summary>One phone number (grain key: the 11-digit number). Enforces the number's side of the rules.</summary>
[Alias("RealName.Grains.Subscribers.ISubscriberGrain")]
public interface ISubscriberGrain : IGrainWithStringKey
{
    /// <summary>
    /// Registers the number; a retry with the same idempotency key replays the first outcome. When the caller gives up
    /// (<paramref name="cancellationToken"/>) before the decision is recorded, the face work stops and nothing is recorded.
    /// </summary>
    Task<RegistrationOutcome> Register(RegistrationRequest request, CancellationToken cancellationToken = default);

    /// <summary>Records a registration attempt the gateway refused on a document rule (changes nothing else).</summary>
    Task RecordDocumentRefusal(DocumentRefusal refusal);

    /// <summary>
    /// The images kept for the number's open registration review case <paramref name="caseId"/>, for its reviewer;
    /// each viewing is audited (EVIDENCE_VIEWED with the caller). Empty when the case is not this number's open
    /// registration case or no images were kept.
    /// </summary>
    Task<ImmutableList<EvidenceImage>> GetCaseEvidence(string caseId);

    /// <summary>The stored record, or null when the number was never registered.</summary>
    [AlwaysInterleave]
    Task<SubscriberRecord?> GetRecord();

    /// <summary>Puts an active number into re-review with a deadline (动态复核).</summary>
    Task<ReReviewTriggerResult> TriggerReReview(ReReviewTrigger trigger, string actor, string? campaignId);

    /// <summary>Risk operations report the number as fraud-linked: recorded (with the report's source), then re-reviewed.</summary>
    Task<ReReviewTriggerResult> ReportFraud(string actor, string reportId, string source);

    /// <summary>The identity holder disputes the number (一证通查): recorded, then re-reviewed.</summary>
    Task<ReReviewTriggerResult> Dispute(string actor, string disputeId);

    /// <summary>A re-review face check: the new live photo against the identity's enrolled template and portrait.</summary>
    /// <summary>Abandoned, with nothing recorded, when the caller gives up before the decision is recorded.</summary>
    Task<RegistrationOutcome> ReVerify(ReVerification verification, CancellationToken cancellationToken = default);

    /// <summary>Closes the number and releases its identity's quota.</summary>
    Task<RegistrationOutcome> Cancel(string actor, string reasonCode);

    /// <summary>Applies a reviewer's decision to this number's open case (registration or re-review).</summary>
    Task<RegistrationOutcome> ApplyReviewDecision(ReviewDecision decision);

    /// <summary>
    /// Work the number scheduled for itself is due (its row in due_work, read by a sweeper): <paramref name="kind"/>
    /// is one of the names its Orleans reminders had. Done only while the row still holds <paramref name="dueAt"/>;
    /// the grain then moves or removes the row. A failure leaves the row for the next sweep.
    /// </summary>
    Task OnDue(string kind, DateTimeOffset dueAt);
}
