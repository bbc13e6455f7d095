namespace Switchboard.Ledger;

/// <summary>
/// A reporting window: <c>today</c> (since local midnight, in hours), <c>7d</c> or <c>30d</c> (that many calendar days
/// including today, in days).
/// </summary>
public sealed record UsagePeriod(string Name, DateTimeOffset From, DateTimeOffset To, TimeSpan Bucket)
{
    public static readonly IReadOnlyList<string> Names = ["today", "7d", "30d"];

    public static UsagePeriod? Parse(string? name, TimeProvider time)
    {
        var now = time.GetLocalNow();
        var midnight = new DateTimeOffset(now.Date, now.Offset);
        // Requests are stamped when they start; the window's end leaves room for one that starts as it is read.
        var to = now.AddMinutes(1);
        return (name ?? "today").ToLowerInvariant() switch
        {
            "today" => new UsagePeriod("today", midnight, to, TimeSpan.FromHours(1)),
            "7d" => new UsagePeriod("7d", midnight.AddDays(-6), to, TimeSpan.FromDays(1)),
            "30d" => new UsagePeriod("30d", midnight.AddDays(-29), to, TimeSpan.FromDays(1)),
            _ => null,
        };
    }
}
