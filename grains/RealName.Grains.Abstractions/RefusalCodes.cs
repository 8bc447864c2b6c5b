namespace RealName.Grains;

/// <summary>Machine-readable reasons the grid's rules give when they refuse (google.rpc.ErrorInfo.reason).</summary>
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
}
