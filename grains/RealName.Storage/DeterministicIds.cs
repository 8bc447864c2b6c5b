using System.Collections.Frozen;
using System.Security.Cryptography;
using System.Text;

namespace RealName.Storage;

/// <summary>
/// The one event-id scheme of the audit log: an id is derived from a namespace and the parts that
/// identify one fact, id = first 16 bytes of SHA-256(namespace U+001F part1 U+001F part2 ...) with the
/// RFC 4122 variant bits. A retried request maps to the same id (and is recorded once); two different
/// facts never share one, because each kind of fact has its own namespace, listed here. An id seen again
/// with different content is an error (<see cref="AuditEventConflictException"/>).
/// </summary>
public static class DeterministicIds
{
    /// <summary>A registration decided by the subscriber grain: (phone, idempotency key).</summary>
    public const string Registration = "registration";

    /// <summary>
    /// A registration the gateway refused on a document rule, recorded through the subscriber grain:
    /// (phone, idempotency key, the sorted reason codes). Its own namespace, so the grain's decision on a
    /// corrected request with the same key is a second fact, never hidden behind the refusal.
    /// </summary>
    public const string DocumentRefusal = "document-refusal";

    /// <summary>The review case a borderline registration opens: (phone, idempotency key). A case id, not an event id.</summary>
    public const string ReviewCase = "review-case";

    /// <summary>The review case a borderline re-review opens: (phone, re-verification request id). A case id.</summary>
    public const string ReReviewCase = "re-review-case";

    /// <summary>A cancellation: (phone, registration time in ticks), one per registration.</summary>
    public const string Cancel = "cancel";

    /// <summary>A reviewer's decision: (case id).</summary>
    public const string ReviewDecision = "review-decision";

    /// <summary>The suspension or restoration a re-review case decision causes: (case id).</summary>
    public const string ReviewOutcome = "review-outcome";

    /// <summary>A re-review a campaign triggers: (campaign id, phone).</summary>
    public const string Campaign = "campaign";

    /// <summary>Any other re-review trigger: (phone, trigger, time in ticks).</summary>
    public const string ReReview = "re-review";

    /// <summary>A fraud report: (phone, report id).</summary>
    public const string Fraud = "fraud";

    /// <summary>A holder's dispute: (phone, dispute id).</summary>
    public const string Dispute = "dispute";

    /// <summary>A re-review face check: (phone, request id).</summary>
    public const string ReVerify = "re-verify";

    /// <summary>The suspension a failed re-review face check causes: (phone, request id).</summary>
    public const string Suspend = "suspend";

    /// <summary>The restoration a passed re-review face check causes: (phone, request id).</summary>
    public const string Restore = "restore";

    /// <summary>The suspension a missed re-review deadline causes: (phone, deadline in ticks).</summary>
    public const string Overdue = "overdue";

    /// <summary>A holder's self-service look-up: (identity key, request id).</summary>
    public const string SelfService = "self-service";

    /// <summary>The review case of a registration whose quota place was lost before confirmation: (phone, position).</summary>
    public const string ReviewCaseOverLimit = "review-case-over-limit";

    /// <summary>Routing that registration to review: (phone, position).</summary>
    public const string RoutedToReview = "routed-to-review";

    /// <summary>The purge of a closed number's personal data at the end of its retention: (phone, registration time in ticks).</summary>
    public const string Purge = "purge";

    /// <summary>The 1:N index row of a registration's live template: (phone, registration time in ticks). A template id, not an event id.</summary>
    public const string FaceTemplate = "face-template";

    /// <summary>The risk event of a live face found under another identity: (phone, idempotency key or re-verification request id).</summary>
    public const string FaceLinked = "face-linked";

    /// <summary>An identity grain adopting what a former key of the same person held: (identity key, former identity key).</summary>
    public const string IdentityAdopted = "identity-adopted";

    /// <summary>A reviewer viewing a case's kept images: (case id, caller name), once per reviewer and case.</summary>
    public const string EvidenceViewed = "evidence-viewed";

    /// <summary>A caller issued by an administrator: (caller name, ""). Caller namespaces are their event types.</summary>
    public const string CallerIssued = "CALLER_ISSUED";

    /// <summary>A caller revoked: (caller name, "").</summary>
    public const string CallerRevoked = "CALLER_REVOKED";

    /// <summary>A client certificate mapped to a caller: (caller name, thumbprint).</summary>
    public const string CallerCertificateAttached = "CALLER_CERTIFICATE_ATTACHED";

    /// <summary>A restriction of an identity: (identity key, request id). Its id (the first 16 hex digits) and its RESTRICTION_ADDED event.</summary>
    public const string Restriction = "restriction";

    /// <summary>The lifting of a restriction: (restriction id).</summary>
    public const string RestrictionLifted = "restriction-lifted";

    /// <summary>An appeal against a restriction: (restriction id, request id). Its id and its RESTRICTION_APPEAL_FILED event.</summary>
    public const string RestrictionAppeal = "restriction-appeal";

    /// <summary>The decision on an appeal: (appeal id).</summary>
    public const string RestrictionAppealDecided = "restriction-appeal-decided";

    /// <summary>One registration attempt as the attempt counters see it: (phone, idempotency key). A counted id, not an event id.</summary>
    public const string RegistrationAttempt = "registration-attempt";

    /// <summary>The risk event of an attempt over a rate: (phone, idempotency key, counter, window).</summary>
    public const string AttemptsLimited = "attempts-limited";
    /// <summary>A fraud report confirmed (failed or missed re-review, or a risk operator's finding): (report id).</summary>
    public const string FraudConfirmed = "fraud-confirmed";

    /// <summary>A fraud-report case closed with its outcome: (report id).</summary>
    public const string FraudClosed = "fraud-closed";

    /// <summary>An outlet suspended: (outlet id, its suspension number).</summary>
    public const string OutletSuspended = "outlet-suspended";

    /// <summary>An outlet reinstated: (outlet id, the suspension number it ends).</summary>
    public const string OutletReinstated = "outlet-reinstated";

    /// <summary>The re-review campaign an outlet's suspension starts: (outlet id, suspension number). A campaign id, not an event id.</summary>
    public const string OutletCampaign = "outlet-campaign";

    /// <summary>An enterprise's IoT quota approved: (credit code, the approval's time in UTC ticks).</summary>
    public const string IotQuotaApproved = "iot-quota-approved";

    private static readonly FrozenSet<string> Namespaces = new[]
    {
        Registration, DocumentRefusal, ReviewCase, ReReviewCase, Cancel, ReviewDecision, ReviewOutcome, Campaign, ReReview,
        Fraud, Dispute, ReVerify, Suspend, Restore, Overdue, SelfService, ReviewCaseOverLimit, RoutedToReview, Purge, FaceTemplate, FaceLinked, IdentityAdopted, EvidenceViewed, CallerIssued, CallerRevoked, CallerCertificateAttached,
        Restriction, RestrictionLifted, RestrictionAppeal, RestrictionAppealDecided, RegistrationAttempt, AttemptsLimited,
        FraudConfirmed, FraudClosed, OutletSuspended, OutletReinstated, OutletCampaign, IotQuotaApproved,
    }.ToFrozenSet(StringComparer.Ordinal);

    public static Guid From(string idNamespace, params string[] parts)
    {
        if (!Namespaces.Contains(idNamespace))
        {
            throw new ArgumentException($"'{idNamespace}' is not an id namespace of DeterministicIds.", nameof(idNamespace));
        }

        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\u001F', [idNamespace, .. parts])));
        var bytes = hash.AsSpan(0, 16).ToArray();
        bytes[7] = (byte)((bytes[7] & 0x0F) | 0x50); // version 5-style marker
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80); // RFC 4122 variant
        return new Guid(bytes);
    }
}
