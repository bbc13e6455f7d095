namespace Switchboard.Ledger;

/// <summary>Everything the dashboard shows for one period, read from the ledger in one go.</summary>
public sealed record UsageSummary
{
    public required string Period { get; init; }
    public required DateTimeOffset From { get; init; }
    public required DateTimeOffset To { get; init; }
    public required string Bucket { get; init; }
    public required UsageTotals Total { get; init; }
    public required List<UsageTotals> ByProvider { get; init; }
    public required List<UsageTotals> ByDuty { get; init; }
    public required List<UsageTotals> ByModel { get; init; }
    public required List<UsageTotals> SeriesByProvider { get; init; }
    public required List<UsageTotals> SeriesByDuty { get; init; }
    public required List<LatencyPercentiles> Latency { get; init; }

    /// <summary>Team mode: who used it, by user, group and key, across every replica (absent on the local path).</summary>
    public List<UsageTotals>? ByUser { get; init; }
    public List<UsageTotals>? ByGroup { get; init; }
    public List<UsageTotals>? ByKey { get; init; }

    /// <summary>Requests lost since the daemon started because the ledger's queue was full.</summary>
    public long LedgerDropped { get; init; }

    public static UsageSummary Read(IUsageReader ledger, UsagePeriod period, long ledgerDropped = 0)
    {
        var (from, to) = (period.From, period.To);
        var byProvider = ledger.Totals(from, to, UsageGrouping.Provider).ToList();
        return new UsageSummary
        {
            Period = period.Name,
            From = from,
            To = to,
            Bucket = period.Bucket == TimeSpan.FromHours(1) ? "hour" : "day",
            Total = UsageTotals.Sum("all", byProvider),
            ByProvider = byProvider,
            ByDuty = ledger.Totals(from, to, UsageGrouping.Duty).ToList(),
            ByModel = ledger.Totals(from, to, UsageGrouping.Model).ToList(),
            SeriesByProvider = ledger.Series(from, to, period.Bucket, UsageGrouping.Provider).ToList(),
            SeriesByDuty = ledger.Series(from, to, period.Bucket, UsageGrouping.Duty).ToList(),
            Latency = ledger.Latencies(from, to, UsageGrouping.Provider)
                .OrderBy(pair => pair.Key, StringComparer.Ordinal)
                .Select(pair => LatencyPercentiles.Of(pair.Key, pair.Value.Latency, pair.Value.FirstByte))
                .ToList(),
            LedgerDropped = ledgerDropped,
            ByUser = ledger.KnowsCallers ? ledger.Totals(from, to, UsageGrouping.User).ToList() : null,
            ByGroup = ledger.KnowsCallers ? ledger.Totals(from, to, UsageGrouping.Group).ToList() : null,
            ByKey = ledger.KnowsCallers ? ledger.Totals(from, to, UsageGrouping.Key).ToList() : null,
        };
    }
}

/// <summary>Latency and time to first byte of one group, in milliseconds (nearest-rank percentiles).</summary>
public sealed record LatencyPercentiles(string Key, int Requests, long P50, long P90, long P99, long? FirstByteP50, long? FirstByteP90)
{
    public static LatencyPercentiles Of(string key, List<long> latency, List<long> firstByte)
    {
        latency.Sort();
        firstByte.Sort();
        return new LatencyPercentiles(key, latency.Count, Percentile(latency, 50) ?? 0, Percentile(latency, 90) ?? 0,
            Percentile(latency, 99) ?? 0, Percentile(firstByte, 50), Percentile(firstByte, 90));
    }

    /// <summary>The smallest value at or above <paramref name="percent"/>% of the sorted <paramref name="values"/>.</summary>
    public static long? Percentile(List<long> values, int percent) =>
        values.Count == 0 ? null : values[Math.Max(0, (int)Math.Ceiling(percent / 100.0 * values.Count) - 1)];
}
