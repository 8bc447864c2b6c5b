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
    [Reason(ReasonKind.Refused)] LivenessUnverified = 119,

    // Not found (NOT_FOUND).
    [Reason(ReasonKind.NotFound)] ReviewCaseNotFound = 200,
    [Reason(ReasonKind.NotFound)] SubscriberNotFound = 201,

    // Too many attempts; try later (RESOURCE_EXHAUSTED).
    [Reason(ReasonKind.Exhausted)] TooManyFailedProofs = 300,
}
