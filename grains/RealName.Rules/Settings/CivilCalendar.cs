using System.Globalization;

namespace RealName.Rules;

/// <summary>Dates and day boundaries in the grid's civil calendar (<see cref="CalendarOptions"/>).</summary>
public sealed class CivilCalendar
{
    public CivilCalendar(TimeSpan utcOffset)
    {
        if (utcOffset.Ticks % TimeSpan.TicksPerMinute != 0 || utcOffset.Duration() > TimeSpan.FromHours(14))
        {
            throw new ArgumentOutOfRangeException(nameof(utcOffset), utcOffset, "Calendar:UtcOffset must be whole minutes between -14:00 and +14:00.");
        }

        UtcOffset = utcOffset;
    }

    /// <summary>The calendar of the default settings (China Standard Time).</summary>
    public static CivilCalendar Default { get; } = new(new CalendarOptions().UtcOffset);

    public TimeSpan UtcOffset { get; }

    /// <summary>"UTC+08:00": how pages name the calendar.</summary>
    public string Label => "UTC" + (UtcOffset < TimeSpan.Zero ? "-" : "+") + UtcOffset.ToString(@"hh\:mm", CultureInfo.InvariantCulture);

    /// <summary>The civil date of an instant.</summary>
    public DateOnly DateOf(DateTimeOffset instant) => DateOnly.FromDateTime(instant.ToOffset(UtcOffset).DateTime);

    /// <summary>Today's civil date.</summary>
    public DateOnly Today(TimeProvider clock) => DateOf(clock.GetUtcNow());

    /// <summary>The wall-clock time of an instant in this calendar.</summary>
    public DateTimeOffset Local(DateTimeOffset instant) => instant.ToOffset(UtcOffset);

    /// <summary>A wall-clock time of this calendar (kind ignored) as an instant.</summary>
    public DateTimeOffset Instant(DateTime wallClock) => new(DateTime.SpecifyKind(wallClock, DateTimeKind.Unspecified), UtcOffset);

    /// <summary>The instant a civil day starts.</summary>
    public DateTimeOffset StartOf(DateOnly day) => Instant(day.ToDateTime(TimeOnly.MinValue));

    /// <summary>The offset as a PostgreSQL interval literal in whole minutes (for bucketing in SQL).</summary>
    public string SqlInterval => string.Create(CultureInfo.InvariantCulture, $"interval '{(int)UtcOffset.TotalMinutes} minutes'");
}
