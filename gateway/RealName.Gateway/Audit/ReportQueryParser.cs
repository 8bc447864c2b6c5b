using System.Globalization;
using RealName.Storage.Reads;

namespace RealName.Gateway.Audit;

/// <summary>Parses the report pages' query strings: dates are calendar days in UTC+8, or full ISO 8601 instants.</summary>
public static class ReportQueryParser
{
    public static bool TryInstant(string? text, out DateTimeOffset value)
    {
        value = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            value = new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), AuditReports.ReportUtcOffset);
            return true;
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out value);
    }

    public static ReportBucket? Bucket(string? text) => text?.ToUpperInvariant() switch
    {
        null or "" or "MONTH" => ReportBucket.Month,
        "DAY" => ReportBucket.Day,
        "WEEK" => ReportBucket.Week,
        "PERIOD" => ReportBucket.Period,
        _ => null,
    };

    public static ReportDimension? Dimension(string? text) => text?.ToUpperInvariant() switch
    {
        null or "" or "NONE" => ReportDimension.None,
        "CHANNEL_KIND" or "CHANNEL" => ReportDimension.ChannelKind,
        "CARRIER" => ReportDimension.Carrier,
        "REGION" => ReportDimension.Region,
        "OUTLET" => ReportDimension.Outlet,
        "CLERK" => ReportDimension.Clerk,
        "CARD_TYPE" => ReportDimension.CardType,
        _ => null,
    };

    /// <summary>The default report period: the current and five previous calendar months (UTC+8).</summary>
    public static (DateTimeOffset From, DateTimeOffset To) DefaultPeriod(DateTimeOffset now)
    {
        var local = now.ToOffset(AuditReports.ReportUtcOffset);
        var monthStart = new DateTimeOffset(local.Year, local.Month, 1, 0, 0, 0, AuditReports.ReportUtcOffset);
        return (monthStart.AddMonths(-5), monthStart.AddMonths(1));
    }

    public static string Day(DateTimeOffset instant) =>
        instant.ToOffset(AuditReports.ReportUtcOffset).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
