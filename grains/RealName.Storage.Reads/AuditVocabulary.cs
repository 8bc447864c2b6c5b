namespace RealName.Storage.Reads;

/// <summary>
/// The audit log's vocabulary. Reports are defined over these values, so they are a contract:
/// add new ones, never rename. docs/audit-events.md explains each one.
/// </summary>
public static class AuditEventTypes
{
    /// <summary>A registration attempt reached a decision (decision: APPROVED, PENDING_REVIEW or REFUSED).</summary>
    public const string RegistrationDecided = "REGISTRATION_DECIDED";

    /// <summary>A reviewer decided a manual-review case (decision: APPROVED or REJECTED; details.case_kind).</summary>
    public const string ReviewDecided = "REVIEW_DECIDED";

    /// <summary>A number was put into re-review (reasons: the trigger; details.deadline, details.campaign_id).</summary>
    public const string ReReviewTriggered = "RE_REVIEW_TRIGGERED";

    /// <summary>A re-review face check was decided (decision: PASSED, FAILED or PENDING_REVIEW).</summary>
    public const string ReReviewDecided = "RE_REVIEW_DECIDED";

    /// <summary>A number went out of service (reasons: RE_REVIEW_OVERDUE, RE_REVIEW_FAILED, REVIEW_REJECTED).</summary>
    public const string Suspended = "SUSPENDED";

    /// <summary>A suspended or re-review number is back in service (reasons: RE_REVIEW_PASSED, REVIEW_APPROVED).</summary>
    public const string Restored = "RESTORED";

    /// <summary>A number was closed; its identity's quota is released.</summary>
    public const string Cancelled = "CANCELLED";

    /// <summary>Risk operations reported the number as fraud-linked.</summary>
    public const string FraudReported = "FRAUD_REPORTED";

    /// <summary>The identity holder disputed the number (一证通查).</summary>
    public const string Disputed = "DISPUTED";

    /// <summary>An acknowledged registration was sent to manual review (decision: PENDING_REVIEW; reasons:
    /// IDENTITY_LIMIT_EXCEEDED when its expired quota reservation could not be taken again; details.review_case).</summary>
    public const string RoutedToReview = "ROUTED_TO_REVIEW";

    /// <summary>An identity holder listed their numbers after a face check (decision: ALLOWED or DENIED).</summary>
    public const string SelfServiceLookup = "SELF_SERVICE_LOOKUP";

    /// <summary>
    /// A closed number's retention ended and its personal data was purged: the number's record, its evidence
    /// images and the personal fields of its audit rows; the identity's enrolled faces too when it holds no
    /// number any more (reasons: RETENTION_ENDED; details: registered_at, closed_at, retention; no number or identity key).
    /// </summary>
    public const string Purged = "PURGED";

    /// <summary>A risk event: a live face scored above the 1:N threshold against faces enrolled under other identities.</summary>
    public const string FaceLinked = "FACE_LINKED";

    /// <summary>
    /// Lazy re-keying: an identity grain took over the numbers, faces and self-service history held under a former key
    /// of the same person (an older HMAC key version or document namespace), when the person presented the document
    /// (details: numbers, enrolled_faces; personal_details.former_identity_key; actor "system", caller: whose request).
    /// </summary>
    public const string IdentityAdopted = "IDENTITY_ADOPTED";

    /// <summary>A reviewer opened the kept images of a registration's review case (details: case_id, images; caller: the reviewer).</summary>
    public const string EvidenceViewed = "EVIDENCE_VIEWED";

    /// <summary>An administrator issued a caller (details: name, role, scope; actor: the administrator, or "bootstrap").</summary>
    public const string CallerIssued = "CALLER_ISSUED";

    /// <summary>An administrator revoked a caller (details.name).</summary>
    public const string CallerRevoked = "CALLER_REVOKED";

    /// <summary>A client certificate was mapped to a caller (details: name, thumbprint).</summary>
    public const string CallerCertificateAttached = "CALLER_CERTIFICATE_ATTACHED";

    /// <summary>A risk operator restricted an identity from opening new numbers.</summary>
    public const string RestrictionAdded = "RESTRICTION_ADDED";

    /// <summary>A restriction was lifted (directly, or by granting an appeal).</summary>
    public const string RestrictionLifted = "RESTRICTION_LIFTED";

    /// <summary>A restricted person's appeal was recorded.</summary>
    public const string RestrictionAppealFiled = "RESTRICTION_APPEAL_FILED";

    /// <summary>An appeal was decided (upheld or lifted).</summary>
    public const string RestrictionAppealDecided = "RESTRICTION_APPEAL_DECIDED";

    /// <summary>A registration attempt was refused: its identity or device passed an attempt rate (a risk event).</summary>
    public const string AttemptsLimited = "REGISTRATION_ATTEMPTS_LIMITED";
    /// <summary>A fraud report was confirmed: the reported number failed or missed its re-review, or a risk operator found fraud
    /// (reasons: the suspension reason, or FRAUD_CONFIRMED; details: report_id, source). Charged to the outlet that opened the number.</summary>
    public const string FraudReportConfirmed = "FRAUD_REPORT_CONFIRMED";

    /// <summary>A fraud-report case was closed (decision: its outcome; details: report_id, source, feedback).</summary>
    public const string FraudReportClosed = "FRAUD_REPORT_CLOSED";

    /// <summary>An outlet's agency was suspended (no number; outlet_id; reasons: FRAUD_THRESHOLD or MANUAL; details: reason, confirmed_fraud_reports, campaign_id).</summary>
    public const string OutletSuspended = "OUTLET_SUSPENDED";

    /// <summary>A risk operator reinstated a suspended outlet (no number; outlet_id; details: reason).</summary>
    public const string OutletReinstated = "OUTLET_REINSTATED";

    /// <summary>A risk operator approved (or changed) an enterprise's IoT card quota after a risk assessment
    /// (no number; decision APPROVED; details: credit_code, quota, previous_quota, cards_held, assessment_reference).</summary>
    public const string IotQuotaApproved = "IOT_QUOTA_APPROVED";

    /// <summary>Every event type above: the one list filters and reports accept.</summary>
    public static IReadOnlySet<string> All { get; } = typeof(AuditEventTypes)
        .GetFields(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static)
        .Where(field => field.IsLiteral)
        .Select(field => (string)field.GetRawConstantValue()!)
        .ToHashSet(StringComparer.Ordinal);
}

/// <summary>Values of <see cref="AuditEvent.Decision"/>.</summary>
public static class AuditDecisions
{
    public const string Approved = "APPROVED";
    public const string PendingReview = "PENDING_REVIEW";
    public const string Refused = "REFUSED";
    public const string Rejected = "REJECTED";
    public const string Passed = "PASSED";
    public const string Failed = "FAILED";
    public const string Allowed = "ALLOWED";
    public const string Denied = "DENIED";
    public const string Restricted = "RESTRICTED";
    public const string Lifted = "LIFTED";
    public const string Filed = "FILED";
    public const string Upheld = "UPHELD";
}
