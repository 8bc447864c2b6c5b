using System.Collections.Immutable;
using System.Globalization;

namespace RealName.Rules;

/// <summary>Most registration attempts one counter (an identity, a device) may make per minute and per day; 0 turns a window off.</summary>
public sealed record AttemptRate(int PerMinute, int PerDay);

/// <summary>
/// Registration attempts are counted per identity and per device across all outlets and channels (card farming moves
/// from counter to counter). An attempt is refused when the counter already made <see cref="AttemptRate.PerMinute"/>
/// attempts in the last minute or <see cref="AttemptRate.PerDay"/> in the last 24 hours (rolling windows); a refused
/// attempt is not counted, so the limit lifts as the oldest counted attempts leave the window.
/// </summary>
public static class AttemptRates
{
    public static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    public static readonly TimeSpan Day = TimeSpan.FromDays(1);

    /// <summary>The refusal of one more attempt by <paramref name="counter"/> ("identity" or "device"), or null.</summary>
    public static RuleViolation? CheckOneMore(IReadOnlyCollection<DateTimeOffset> counted, DateTimeOffset now, AttemptRate rate, string counter) =>
        Over(counted, now, Minute, rate.PerMinute, counter, "minute") ?? Over(counted, now, Day, rate.PerDay, counter, "day");

    private static RuleViolation? Over(IReadOnlyCollection<DateTimeOffset> counted, DateTimeOffset now, TimeSpan window, int limit, string counter, string name)
    {
        if (limit <= 0)
        {
            return null;
        }

        var inWindow = counted.Where(at => now - at < window).Order().ToList();
        if (inWindow.Count < limit)
        {
            return null;
        }

        // The limit lifts when enough of the oldest attempts leave the window.
        var freeAt = inWindow[inWindow.Count - limit] + window;
        return new(ReasonCode.TooManyAttempts, "", $"Too many registration attempts by this {counter} in the last {name}; try later.")
        {
            Details = ImmutableDictionary<string, string>.Empty
                .Add("counter", counter)
                .Add("window", name)
                .Add("limit", limit.ToString(CultureInfo.InvariantCulture))
                .Add("retry_after_seconds", Math.Max(1, Math.Ceiling((freeAt - now).TotalSeconds)).ToString(CultureInfo.InvariantCulture)),
        };
    }
}
