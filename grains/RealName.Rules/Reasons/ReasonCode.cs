namespace RealName.Rules;

/// <summary>
/// Every reason a real-name rule gives, as one closed set. The wire and audit-log form is the upper-snake
/// name (<see cref="ReasonCodes.Wire"/>: DocumentExpired → DOCUMENT_EXPIRED); clients depend on those
/// strings, so a member is never renamed. The attribute says how it reaches clients (see <see cref="ReasonKind"/>).
/// To add a reason: add a member here with its kind, use it from a rule, add a unit test; the gateway maps it.
/// </summary>
public enum ReasonCode
{
    // Malformed input (INVALID_ARGUMENT, a BadRequest field violation whose description starts with the code).
    [Reason(ReasonKind.Malformed)] FieldRequired = 1,
    [Reason(ReasonKind.Malformed)] FieldTooLong = 2,
    [Reason(ReasonKind.Malformed)] InvalidPhoneNumber = 3,
    [Reason(ReasonKind.Malformed)] UnsupportedDocumentType = 4,
    [Reason(ReasonKind.Malformed)] InvalidDocumentNumber = 5,
    [Reason(ReasonKind.Malformed)] InvalidCheckDigit = 6,
    [Reason(ReasonKind.Malformed)] InvalidBirthDate = 7,
    [Reason(ReasonKind.Malformed)] BirthDateMismatch = 8,
    [Reason(ReasonKind.Malformed)] InvalidDate = 9,
    [Reason(ReasonKind.Malformed)] InvalidCreditCode = 10,
    [Reason(ReasonKind.Malformed)] ImageTooLarge = 11,
    [Reason(ReasonKind.Malformed)] InvalidRequestKey = 12,
    [Reason(ReasonKind.Malformed)] TriggerNotAllowed = 13,
    [Reason(ReasonKind.Malformed)] ConsentRequired = 14,
    /// <summary>A string holds a control character other than tab, line feed or carriage return (U+0000 among them).</summary>
    [Reason(ReasonKind.Malformed)] ControlCharacter = 15,
    /// <summary>A number outside what the field can mean (a negative data allowance, a score that is not between 0 and 1).</summary>
    [Reason(ReasonKind.Malformed)] OutOfRange = 16,

    // Well formed, refused by a rule (FAILED_PRECONDITION with ErrorInfo.reason).
    [Reason(ReasonKind.Refused)] DocumentExpired = 100,
    [Reason(ReasonKind.Refused)] CustomerRequired = 101,
    [Reason(ReasonKind.Refused)] EnterpriseRequired = 102,
    [Reason(ReasonKind.Refused)] PersonalRealNameRequired = 104,
    [Reason(ReasonKind.Refused)] IotNotApproved = 105,
    [Reason(ReasonKind.Refused)] IotQuotaExceeded = 106,
    [Reason(ReasonKind.Refused)] MinorRequiresGuardian = 107,
    [Reason(ReasonKind.Refused)] GuardianNotAdult = 108,
    [Reason(ReasonKind.Refused)] LivenessRequired = 109,
    [Reason(ReasonKind.Refused)] LivenessFailed = 110,
    [Reason(ReasonKind.Refused)] IdentityLimitExceeded = 111,
    [Reason(ReasonKind.Refused)] NumberAlreadyRegistered = 112,
    [Reason(ReasonKind.Refused)] FaceMismatch = 113,
    [Reason(ReasonKind.Refused)] NumberNotRegistered = 114,
    [Reason(ReasonKind.Refused)] AlreadyCancelled = 115,
    [Reason(ReasonKind.Refused)] NoReReviewPending = 116,
    [Reason(ReasonKind.Refused)] NoEnrolledFace = 117,
    [Reason(ReasonKind.Refused)] NumberNotUnderIdentity = 118,
    /// <summary>The review case was already decided, by another reviewer or differently: the first decision stands.</summary>
    [Reason(ReasonKind.Refused)] ReviewAlreadyDecided = 119,

    // Not found (NOT_FOUND).
    [Reason(ReasonKind.NotFound)] ReviewCaseNotFound = 200,
    [Reason(ReasonKind.NotFound)] SubscriberNotFound = 201,
    [Reason(ReasonKind.NotFound)] CallerNotFound = 202,
    [Reason(ReasonKind.NotFound)] CampaignNotFound = 203,

    // Reserved for the accountable-callers and identity-integrity work (issue 9), so their codes map the same everywhere.
    [Reason(ReasonKind.Denied)] CallerScopeMismatch = 300,
    [Reason(ReasonKind.Refused)] FaceDiffersFromEnrolled = 301,
    [Reason(ReasonKind.Exhausted)] TooManyFailedProofs = 302,
    [Reason(ReasonKind.Refused)] LivenessUnverified = 303,
    [Reason(ReasonKind.Unavailable)] StorageUnavailable = 304,
    [Reason(ReasonKind.Unavailable)] ClusterUnavailable = 305,
    [Reason(ReasonKind.Denied)] SelfReviewForbidden = 306,
    [Reason(ReasonKind.Denied)] ReviewerNotCaller = 307,
    [Reason(ReasonKind.Denied)] ActorNotCaller = 308,
    [Reason(ReasonKind.Denied)] RoleNotAllowed = 309,
    [Reason(ReasonKind.Unauthenticated)] CredentialRequired = 310,
    [Reason(ReasonKind.Unauthenticated)] CredentialRejected = 311,
    [Reason(ReasonKind.Malformed)] InvalidCaller = 312,
    [Reason(ReasonKind.Refused)] CallerNameTaken = 313,
    [Reason(ReasonKind.Refused)] CallerAlreadyRevoked = 314,
    [Reason(ReasonKind.Refused)] CertificateTaken = 315,
    /// <summary>An administrator may not revoke its own credential: so the grid always keeps one administrator who can act.</summary>
    [Reason(ReasonKind.Denied)] SelfRevocationForbidden = 316,

    // About the call rather than a rule: the gateway's guards and the grid's capacity.
    [Reason(ReasonKind.Malformed)] MalformedRequest = 400,
    [Reason(ReasonKind.Exhausted)] RequestTooLarge = 401,
    [Reason(ReasonKind.Exhausted)] RateLimited = 402,
    [Reason(ReasonKind.Exhausted)] GridBusy = 403,
    [Reason(ReasonKind.Refused)] RequestConflict = 404,
    [Reason(ReasonKind.Abandoned)] CallerGaveUp = 405,
    /// <summary>The request body arrived too slowly or was cut off before the gateway had read it: nothing was done.</summary>
    [Reason(ReasonKind.Unavailable)] RequestBodyUnreadable = 406,
    /// <summary>The gateway failed before the request reached a handler (a defect, logged as an error): nothing was done.</summary>
    [Reason(ReasonKind.Unavailable)] GatewayFault = 407,
    /// <summary>A call to a method of the contract whose content type is not application/grpc (JSON, gRPC-Web, Connect, none).</summary>
    [Reason(ReasonKind.Malformed)] UnsupportedContentType = 408,

    // The anti-fraud loop (issue 11).
    /// <summary>A review reason, not a refusal: the live face was found (1:N) enrolled under another identity.</summary>
    [Reason(ReasonKind.Refused)] FaceSeenUnderOtherIdentity = 500,

    // Face model changes (issue 14).
    /// <summary>The enrolled face is from another face model: the holder's document portrait must be read again.</summary>
    [Reason(ReasonKind.Refused)] ReEnrolmentRequired = 600,

    // Restricted persons, attempt limits across outlets and the fraud-risk notice (issue 11; 550-569).
    /// <summary>The customer's identity is under an active restriction (反电信网络诈骗法).</summary>
    [Reason(ReasonKind.Refused)] IdentityRestricted = 550,
    /// <summary>The identity or device made more registration attempts than the configured rates allow.</summary>
    [Reason(ReasonKind.Exhausted)] TooManyAttempts = 551,
    /// <summary>The customer's acknowledgement of the fraud-risk notice (风险告知) is missing or incomplete.</summary>
    [Reason(ReasonKind.Malformed)] RiskNoticeRequired = 552,
    [Reason(ReasonKind.NotFound)] RestrictionNotFound = 553,
    /// <summary>The restriction was already lifted or has expired: nothing to lift or appeal.</summary>
    [Reason(ReasonKind.Refused)] RestrictionNotActive = 554,
    [Reason(ReasonKind.NotFound)] AppealNotFound = 555,
    [Reason(ReasonKind.Refused)] AppealAlreadyDecided = 556,
    /// <summary>A restriction already has an undecided appeal.</summary>
    [Reason(ReasonKind.Refused)] AppealAlreadyOpen = 557,
    // Closed-loop fraud reports and outlet accountability (issue 11).
    /// <summary>The outlet's agency is suspended (too many confirmed fraud reports, or a risk operator): it may not register.</summary>
    [Reason(ReasonKind.Refused)] OutletSuspended = 520,
    [Reason(ReasonKind.NotFound)] FraudReportNotFound = 521,
    /// <summary>The fraud-report case is already closed; its outcome stands.</summary>
    [Reason(ReasonKind.Refused)] FraudReportClosed = 522,
    [Reason(ReasonKind.Refused)] OutletNotSuspended = 523,
}
