namespace RealName.Rules;

/// <summary>The customer's acknowledgement of the fraud-risk notice as a request states it.</summary>
public sealed record RiskNoticeInput(string NoticeVersion, DateTimeOffset? AcknowledgedAt, string AcknowledgementReference);

/// <summary>
/// The 2021 notice on phone-card real-name registration asks carriers to tell every customer, before a number is
/// sold, that lending, renting or selling it is unlawful and what follows (风险告知), and to keep the customer's
/// acknowledgement. Every registration states it: the notice version and when; online sales also the reference of
/// the recorded acknowledgement (no clerk witnessed it). Without it nothing is processed or recorded, so the refusal
/// is malformed input (INVALID_ARGUMENT, RISK_NOTICE_REQUIRED), like the face-processing consent.
/// </summary>
public static class RiskNoticeRules
{
    public const int MaxNoticeVersionLength = 32;

    public const int MaxReferenceLength = 128;

    /// <summary>The notice is given at the sale: an acknowledgement older than this belongs to another one.</summary>
    public static readonly TimeSpan MaxAge = TimeSpan.FromDays(30);

    public static RuleViolation? Check(RiskNoticeInput? notice, ChannelKind channel, DateTimeOffset now, string field = "risk_notice")
    {
        if (notice is null)
        {
            return new(ReasonCode.RiskNoticeRequired, field, "the customer's acknowledgement of the fraud-risk notice is required");
        }

        if (string.IsNullOrWhiteSpace(notice.NoticeVersion) || notice.NoticeVersion.Length > MaxNoticeVersionLength)
        {
            return new(ReasonCode.RiskNoticeRequired, $"{field}.notice_version", $"1 to {MaxNoticeVersionLength} characters are required");
        }

        if (notice.AcknowledgedAt is not { } at || at > now + ConsentRules.ClockSkew || now - at > MaxAge)
        {
            return new(ReasonCode.RiskNoticeRequired, $"{field}.acknowledged_at", "the time of acknowledgement is required, within the last 30 days and not in the future");
        }

        if (notice.AcknowledgementReference.Length > MaxReferenceLength
            || (channel == ChannelKind.Online && string.IsNullOrWhiteSpace(notice.AcknowledgementReference)))
        {
            return new(ReasonCode.RiskNoticeRequired, $"{field}.acknowledgement_reference",
                $"online sales need the reference of the recorded acknowledgement (1 to {MaxReferenceLength} characters)");
        }

        return null;
    }
}
