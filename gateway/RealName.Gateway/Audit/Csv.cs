using System.Globalization;
using System.Text;
using RealName.Rules;
using RealName.Storage.Reads;

namespace RealName.Gateway.Audit;

/// <summary>
/// RFC 4180 CSV: comma-separated, CRLF line ends, a field is quoted when it contains a comma, quote, CR
/// or LF (quotes doubled). Fields that a spreadsheet would run as a formula (=, +, -, @ first) are
/// prefixed with an apostrophe, except plain numbers.
/// </summary>
public static class Csv
{
    public static string Field(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return "";
        }

        if (value[0] is '=' or '+' or '-' or '@' && !double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out _))
        {
            value = "'" + value;
        }

        return value.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
    }

    public static string Line(params IEnumerable<string?> fields) => string.Join(',', fields.Select(Field)) + "\r\n";

    public static readonly string[] ReportHeader =
    [
        "bucket_start", "bucket_label", "dimension_value", "registrations", "registrations_approved", "face_compared", "face_matched",
        "consistency_rate", "manual_reviews", "reviews_approved", "reviews_rejected", "refusals", "refusals_by_reason",
        "re_reviews_triggered", "re_reviews_passed", "re_reviews_failed", "re_reviews_overdue", "suspensions", "restorations",
        "fraud_reported_numbers", "face_linked_registrations", "fraud_confirmed_registrations",
    ];

    public static string ReportLine(ReportRowData row, CivilCalendar calendar) => Line(
        calendar.Local(row.BucketStart).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture),
        row.BucketLabel,
        row.DimensionValue,
        N(row.Registrations), N(row.RegistrationsApproved), N(row.FaceCompared), N(row.FaceMatched),
        row.ConsistencyRate?.ToString("0.######", CultureInfo.InvariantCulture),
        N(row.ManualReviews), N(row.ReviewsApproved), N(row.ReviewsRejected), N(row.Refusals),
        string.Join(';', row.RefusalsByReason.Select(r => $"{r.Key}={N(r.Value)}")),
        N(row.ReReviewsTriggered), N(row.ReReviewsPassed), N(row.ReReviewsFailed), N(row.ReReviewsOverdue),
        N(row.Suspensions), N(row.Restorations), N(row.FraudReportedNumbers),
        N(row.FaceLinkedRegistrations), N(row.FraudConfirmedRegistrations));

    public static readonly string[] EventHeader =
    [
        "seq", "event_id", "occurred_at", "event_type", "phone_number", "identity_key", "carrier_id", "channel_kind", "region",
        "outlet_id", "clerk_id", "device_id", "caller", "card_type", "decision", "face_compared", "face_decision", "face_score", "model_version",
        "reasons", "actor", "status_after", "details", "prev_hash", "hash", "hash_version", "personal_details", "personal_digest",
    ];

    public static string EventLine(ChainedAuditEvent chained)
    {
        var e = chained.Event;
        return Line(
            N(chained.Seq), e.EventId.ToString("D"), e.OccurredAt.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture),
            e.EventType, e.PhoneNumber, e.IdentityKey, e.CarrierId, e.ChannelKind, e.Region, e.OutletId, e.ClerkId, e.DeviceId, e.Caller, e.CardType,
            e.Decision, e.FaceCompared ? "true" : "false", e.FaceDecision, e.FaceScore?.ToString("R", CultureInfo.InvariantCulture), e.ModelVersion,
            string.Join(';', e.Reasons), e.Actor, e.StatusAfter, e.Details,
            Convert.ToHexStringLower(chained.PrevHash), Convert.ToHexStringLower(chained.Hash), N(e.HashVersion), e.PersonalDetails, e.PersonalDigest);
    }

    private static string N(long value) => value.ToString(CultureInfo.InvariantCulture);

    public static Encoding Utf8WithBom { get; } = new UTF8Encoding(encoderShouldEmitUTF8Identifier: true);
}
