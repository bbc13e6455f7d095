using System.Globalization;

namespace Switchboard.Team;

/// <summary>
/// A spend cap's calendar window in UTC: the day, the ISO week (from Monday) or the month that holds an instant.
/// Counters are keyed by <see cref="Name"/>, so a new window starts a new counter and the old one expires.
/// </summary>
internal readonly record struct SpendPeriod(string Period, DateTimeOffset Start, DateTimeOffset End)
{
    public static SpendPeriod Of(string period, DateTimeOffset now)
    {
        var day = new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero);
        return period switch
        {
            TeamLimit.Day => new(period, day, day.AddDays(1)),
            TeamLimit.Week => Week(day),
            TeamLimit.Month => new(period, new DateTimeOffset(day.Year, day.Month, 1, 0, 0, 0, TimeSpan.Zero),
                new DateTimeOffset(day.Year, day.Month, 1, 0, 0, 0, TimeSpan.Zero).AddMonths(1)),
            _ => throw new ArgumentOutOfRangeException(nameof(period), period, "a spend period is day, week or month"),
        };
    }

    private static SpendPeriod Week(DateTimeOffset day)
    {
        var monday = day.AddDays(-(((int)day.DayOfWeek + 6) % 7));
        return new(TeamLimit.Week, monday, monday.AddDays(7));
    }

    /// <summary>The window in a counter's key: <c>d2026-12-03</c>, <c>w2026-11-30</c>, <c>m2026-12</c>.</summary>
    public string Name => Period[0] + Start.ToString(Period == TeamLimit.Month ? "yyyy-MM" : "yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>The word Claude Code's headers use: <c>daily</c>, <c>weekly</c>, <c>monthly</c>.</summary>
    public string Adjective => Period switch { TeamLimit.Day => "daily", TeamLimit.Week => "weekly", _ => "monthly" };
}
