namespace RealName.Grains;

/// <summary>
/// The wire strings (google.rpc.ErrorInfo.reason) of the rule book's reasons that grain code names directly,
/// as constants for switch patterns. Each one is the wire form of a <see cref="RealName.Rules.ReasonCode"/>
/// member (a unit test checks it): to add a code, add the member with its <see cref="RealName.Rules.ReasonKind"/>
/// to ReasonCode first (that decides its gRPC status), then its constant here if grain code needs one.
/// Prefer <c>Refusal.From(ruleViolation)</c> when a rule of the rule book refuses.
/// </summary>
public static class RefusalCodes
{
    public const string NumberAlreadyRegistered = "NUMBER_ALREADY_REGISTERED";
    public const string IdentityLimitExceeded = "IDENTITY_LIMIT_EXCEEDED";
    public const string FaceMismatch = "FACE_MISMATCH";
    public const string LivenessRequired = "LIVENESS_REQUIRED";
    public const string LivenessFailed = "LIVENESS_FAILED";
    public const string MinorRequiresGuardian = "MINOR_REQUIRES_GUARDIAN";
    public const string GuardianNotAdult = "GUARDIAN_NOT_ADULT";
    public const string EnterpriseRequired = "ENTERPRISE_REQUIRED";
    public const string IotNotApproved = "IOT_NOT_APPROVED";
    public const string IotQuotaExceeded = "IOT_QUOTA_EXCEEDED";
    public const string PersonalRealNameRequired = "PERSONAL_REAL_NAME_REQUIRED";
    public const string CustomerRequired = "CUSTOMER_REQUIRED";
    public const string NotRegistered = "NUMBER_NOT_REGISTERED";
    public const string NoReReviewPending = "NO_RE_REVIEW_PENDING";
    public const string NoEnrolledFace = "NO_ENROLLED_FACE";
    public const string ReviewCaseNotFound = "REVIEW_CASE_NOT_FOUND";
    public const string AlreadyCancelled = "ALREADY_CANCELLED";

    /// <summary>The liveness attestation is unsigned, signed with an unknown key, mis-signed or stale.</summary>
    public const string LivenessUnverified = "LIVENESS_UNVERIFIED";

    /// <summary>The enrolled face was made by another face model: a re-review needs the document portrait with the live photo.</summary>
    public const string ReEnrolmentRequired = "RE_ENROLMENT_REQUIRED";

    /// <summary>Self-service is locked for a while after too many failed face proofs (RESOURCE_EXHAUSTED).</summary>
    public const string TooManyFailedProofs = "TOO_MANY_FAILED_PROOFS";

    /// <summary>The outlet is suspended: its registrations are refused until a risk operator reinstates it.</summary>
    public const string OutletSuspended = "OUTLET_SUSPENDED";

    public const string FraudReportNotFound = "FRAUD_REPORT_NOT_FOUND";
    public const string FraudReportClosed = "FRAUD_REPORT_CLOSED";
    public const string OutletNotSuspended = "OUTLET_NOT_SUSPENDED";
}
