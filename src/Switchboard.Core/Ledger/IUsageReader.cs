namespace Switchboard.Ledger;

/// <summary>
/// The ledger's reads, for <c>switchboard usage</c>, the dashboard and <c>/metrics</c>: the SQLite file on the local
/// path (<see cref="UsageLedger"/>), the team ledger in PostgreSQL across every replica in team mode. Intervals are
/// [from, to).
/// </summary>
public interface IUsageReader
{
    /// <summary>Whether the ledger knows who asked, so grouping by user, group, key or replica means something.</summary>
    bool KnowsCallers { get; }

    /// <summary>Requests in the interval, newest first, at most <paramref name="limit"/>.</summary>
    IReadOnlyList<RequestRecord> Recent(DateTimeOffset from, DateTimeOffset to, int limit);

    /// <summary>Totals per value of <paramref name="by"/>, the costliest first.</summary>
    IReadOnlyList<UsageTotals> Totals(DateTimeOffset from, DateTimeOffset to, UsageGrouping by);

    /// <summary>Totals per time bucket and value of <paramref name="by"/>, oldest bucket first.</summary>
    IReadOnlyList<UsageTotals> Series(DateTimeOffset from, DateTimeOffset to, TimeSpan bucket, UsageGrouping by);

    /// <summary>Latency and time-to-first-byte in milliseconds per value of <paramref name="by"/>, for percentiles.</summary>
    IReadOnlyDictionary<string, (List<long> Latency, List<long> FirstByte)> Latencies(DateTimeOffset from, DateTimeOffset to, UsageGrouping by);
}
