using System.Collections.Concurrent;
using System.Globalization;
using System.Text;

namespace Switchboard.Ledger;

/// <summary>
/// Counters and latency histograms per provider and duty since the daemon started, written in Prometheus' text
/// format (version 0.0.4) for <c>/metrics</c>. Each series is updated under its own small lock.
/// </summary>
public sealed class UsageMetrics
{
    /// <summary>Histogram bucket bounds in seconds: from a quick local reply to a long streamed answer.</summary>
    public static readonly double[] Buckets = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300];

    private readonly ConcurrentDictionary<(string Provider, string Duty), Series> _series = new();

    public void Observe(RequestRecord record)
    {
        var series = _series.GetOrAdd((record.Provider, record.Duty), _ => new Series());
        lock (series)
        {
            series.Statuses[record.Status] = series.Statuses.GetValueOrDefault(record.Status) + 1;
            if (record.Error is { } error) series.Errors[error] = series.Errors.GetValueOrDefault(error) + 1;
            series.Input += record.InputTokens;
            series.Output += record.OutputTokens;
            series.CacheRead += record.CacheReadTokens;
            series.CacheWrite += record.CacheWriteTokens;
            series.Cost += record.Cost ?? 0;
            series.Savings += record.Savings ?? 0;
            series.Latency.Observe(record.LatencyMs / 1000.0);
            if (record.TimeToFirstByteMs is { } ttfb) series.FirstByte.Observe(ttfb / 1000.0);
        }
    }

    /// <summary>Lines another part adds to the text (team mode's limits); null on the local path.</summary>
    public Action<StringBuilder>? Extra { get; set; }

    /// <summary>The exposition text; <paramref name="ledger"/> adds the ledger's own counters.</summary>
    public string Write(LedgerWriter? ledger)
    {
        var snapshot = _series.OrderBy(pair => pair.Key.Provider, StringComparer.Ordinal)
            .ThenBy(pair => pair.Key.Duty, StringComparer.Ordinal)
            .Select(pair => (Labels: $"provider=\"{Escape(pair.Key.Provider)}\",duty=\"{Escape(pair.Key.Duty)}\"", pair.Value))
            .ToList();
        var text = new StringBuilder();

        Header(text, "switchboard_requests_total", "counter", "Messages requests, by provider, duty and HTTP status.");
        Each(snapshot, text, (labels, s) => s.Statuses.OrderBy(p => p.Key)
            .Select(p => $"switchboard_requests_total{{{labels},status=\"{p.Key}\"}} {p.Value}"));

        Header(text, "switchboard_request_errors_total", "counter", "Failed requests (error status or error event), by error type.");
        Each(snapshot, text, (labels, s) => s.Errors.OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => $"switchboard_request_errors_total{{{labels},type=\"{Escape(p.Key)}\"}} {p.Value}"));

        Header(text, "switchboard_tokens_total", "counter", "Tokens, by kind: input, output, cache_read, cache_write.");
        Each(snapshot, text, (labels, s) => new[] { ("input", s.Input), ("output", s.Output), ("cache_read", s.CacheRead), ("cache_write", s.CacheWrite) }
            .Select(p => $"switchboard_tokens_total{{{labels},kind=\"{p.Item1}\"}} {p.Item2}"));

        Header(text, "switchboard_cost_usd_total", "counter", "Estimated cost in US dollars.");
        Each(snapshot, text, (labels, s) => [$"switchboard_cost_usd_total{{{labels}}} {Number(s.Cost)}"]);

        Header(text, "switchboard_savings_usd_total", "counter", "Estimated savings against the requested Claude model, in US dollars.");
        Each(snapshot, text, (labels, s) => [$"switchboard_savings_usd_total{{{labels}}} {Number(s.Savings)}"]);

        Header(text, "switchboard_request_duration_seconds", "histogram", "Time from request to the end of the reply.");
        Each(snapshot, text, (labels, s) => s.Latency.Lines("switchboard_request_duration_seconds", labels));

        Header(text, "switchboard_time_to_first_byte_seconds", "histogram", "Time from request to the start of the reply.");
        Each(snapshot, text, (labels, s) => s.FirstByte.Lines("switchboard_time_to_first_byte_seconds", labels));

        if (ledger is not null)
        {
            Header(text, "switchboard_ledger_dropped_total", "counter", "Requests not recorded in the ledger because its queue was full.");
            text.Append("switchboard_ledger_dropped_total ").Append(ledger.Dropped).Append('\n');
            Header(text, "switchboard_ledger_failed_total", "counter", "Requests the ledger failed to write.");
            text.Append("switchboard_ledger_failed_total ").Append(ledger.Failed).Append('\n');
            Header(text, "switchboard_ledger_retries_total", "counter", "Ledger writes refused for a passing reason and tried again.");
            text.Append("switchboard_ledger_retries_total ").Append(ledger.Retries).Append('\n');
            Header(text, "switchboard_ledger_queue_length", "gauge", "Requests waiting to be written to the ledger.");
            text.Append("switchboard_ledger_queue_length ").Append(ledger.Queued).Append('\n');
        }
        Extra?.Invoke(text);
        return text.ToString();
    }

    private static void Each(List<(string Labels, Series Series)> all, StringBuilder text, Func<string, Series, IEnumerable<string>> lines)
    {
        foreach (var (labels, series) in all)
        {
            lock (series)
            {
                foreach (var line in lines(labels, series)) text.Append(line).Append('\n');
            }
        }
    }

    internal static void Header(StringBuilder text, string name, string type, string help) =>
        text.Append("# HELP ").Append(name).Append(' ').Append(help).Append('\n')
            .Append("# TYPE ").Append(name).Append(' ').Append(type).Append('\n');

    internal static string Number(double value) => value.ToString("0.#########", CultureInfo.InvariantCulture);

    internal static string Escape(string value) =>
        value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal)
            .Replace("\n", "\\n", StringComparison.Ordinal);

    private sealed class Series
    {
        public readonly Dictionary<int, long> Statuses = [];
        public readonly Dictionary<string, long> Errors = new(StringComparer.Ordinal);
        public long Input, Output, CacheRead, CacheWrite;
        public double Cost, Savings;
        public readonly Histogram Latency = new();
        public readonly Histogram FirstByte = new();
    }

    private sealed class Histogram
    {
        private readonly long[] _counts = new long[Buckets.Length];
        private long _count;
        private double _sum;

        public void Observe(double seconds)
        {
            _count++;
            _sum += seconds;
            for (var i = 0; i < Buckets.Length; i++)
                if (seconds <= Buckets[i]) _counts[i]++;
        }

        public IEnumerable<string> Lines(string name, string labels)
        {
            for (var i = 0; i < Buckets.Length; i++)
                yield return $"{name}_bucket{{{labels},le=\"{Number(Buckets[i])}\"}} {_counts[i]}";
            yield return $"{name}_bucket{{{labels},le=\"+Inf\"}} {_count}";
            yield return $"{name}_sum{{{labels}}} {Number(_sum)}";
            yield return $"{name}_count{{{labels}}} {_count}";
        }
    }
}
