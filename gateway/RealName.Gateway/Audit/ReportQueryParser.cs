using System.Globalization;
using RealName.Rules;
using RealName.Storage.Reads;

namespace RealName.Gateway.Audit;

/// <summary>Parses the report pages' query strings: dates are days of the civil calendar (Calendar:UtcOffset), or full ISO 8601 instants.</summary>
public static class ReportQueryParser
{
    public static bool TryInstant(string? text, CivilCalendar calendar, out DateTimeOffset value)
    {
        value = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            value = calendar.StartOf(day);
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

    /// <summary>The default report period: the current and five previous months of the civil calendar.</summary>
    public static (DateTimeOffset From, DateTimeOffset To) DefaultPeriod(DateTimeOffset now, CivilCalendar calendar)
    {
        var today = calendar.DateOf(now);
        var monthStart = calendar.StartOf(new DateOnly(today.Year, today.Month, 1));
        return (monthStart.AddMonths(-5), monthStart.AddMonths(1));
    }

    public static string Day(DateTimeOffset instant, CivilCalendar calendar) =>
        calendar.DateOf(instant).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
