namespace RealName.Rules;

/// <summary>The customer's consent to face processing as a request states it.</summary>
public sealed record ConsentInput(string ConsentId, string TextVersion, DateTimeOffset? ConsentedAt);

/// <summary>
/// Face templates are sensitive personal information (PIPL art. 28-29): processing them needs the person's
/// separate consent, apart from the service contract. A registration that processes a face (it carries a
/// customer, agent or guardian) must state that consent: the channel's id of the consent record, the version
/// of the text agreed to, and when. Without it nothing is processed or recorded, so the refusal is malformed
/// input (INVALID_ARGUMENT, CONSENT_REQUIRED), never a registration attempt in the audit log.
/// </summary>
public static class ConsentRules
{
    public const int MaxConsentIdLength = 64;

    public const int MaxTextVersionLength = 32;

    /// <summary>How far a consent time may lie ahead of the grid's clock (the channel's clock may run ahead).</summary>
    public static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(1);

    /// <summary>
    /// The consent is given for this sale, as the fraud-risk notice is acknowledged at it: a consent time further
    /// back belongs to another one (or is a default a careless client sent, such as 1900-01-01).
    /// </summary>
    public static readonly TimeSpan MaxAge = RiskNoticeRules.MaxAge;

    public static RuleViolation? Check(ConsentInput? consent, bool processesFaces, DateTimeOffset now, string field = "consent")
    {
        if (!processesFaces)
        {
            return null;
        }

        if (consent is null)
        {
            return new(ReasonCode.ConsentRequired, field, "the customer's consent to face processing is required");
        }

        if (string.IsNullOrWhiteSpace(consent.ConsentId) || consent.ConsentId.Length > MaxConsentIdLength)
        {
            return new(ReasonCode.ConsentRequired, $"{field}.consent_id", $"1 to {MaxConsentIdLength} characters are required");
        }

        if (string.IsNullOrWhiteSpace(consent.TextVersion) || consent.TextVersion.Length > MaxTextVersionLength)
        {
            return new(ReasonCode.ConsentRequired, $"{field}.text_version", $"1 to {MaxTextVersionLength} characters are required");
        }

        return consent.ConsentedAt is { } at && at <= now + ClockSkew && now - at <= MaxAge
            ? null
            : new(ReasonCode.ConsentRequired, $"{field}.consented_at", "the time of consent is required, within the last 30 days and not in the future");
    }
}
