using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Switchboard.Bench;

/// <summary>
/// Sends the same streaming request direct to the upstream and through Switchboard, in the same run, and reports the
/// difference: latency at concurrency 1 (interleaved, so drift hits both paths alike), throughput at concurrency 16,
/// and Switchboard's resident memory idle and at peak.
/// </summary>
internal static class LoadRun
{
    internal const int Warmup = 500;
    internal const int LatencySamples = 3000;
    internal static readonly TimeSpan ThroughputWindow = TimeSpan.FromSeconds(5);
    internal const int Concurrency = 16;

    private const string Body = """{"model":"claude-bench","max_tokens":256,"stream":true,"messages":[{"role":"user","content":"Benchmark me, please."}]}""";

    public static async Task<int> RunAsync(string direct, string through, int pid, string? outFile)
    {
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 256, UseProxy = false })
        {
            Timeout = TimeSpan.FromSeconds(30),
        };
        http.DefaultRequestHeaders.TryAddWithoutValidation("x-api-key", "sk-bench");
        http.DefaultRequestHeaders.TryAddWithoutValidation("anthropic-version", "2023-06-01");

        for (var i = 0; i < Warmup; i++)
        {
            await OneAsync(http, direct);
            await OneAsync(http, through);
        }
        var idleRss = Memory(pid, "VmRSS");

        var directSamples = new List<Sample>(LatencySamples);
        var throughSamples = new List<Sample>(LatencySamples);
        for (var i = 0; i < LatencySamples; i++)
        {
            directSamples.Add(await OneAsync(http, direct));
            throughSamples.Add(await OneAsync(http, through));
        }

        // Two rounds each, alternating, so neither path always runs on a warmer machine.
        var directRps = new List<double>();
        var throughRps = new List<double>();
        for (var round = 0; round < 2; round++)
        {
            directRps.Add(await ThroughputAsync(http, direct));
            throughRps.Add(await ThroughputAsync(http, through));
        }
        var loadedRss = Memory(pid, "VmRSS");
        var peakRss = Memory(pid, "VmHWM");

        var report = Report(directSamples, throughSamples, directRps.Average(), throughRps.Average(), idleRss, loadedRss, peakRss);
        Console.WriteLine(report.Text);
        if (outFile is not null) await File.WriteAllTextAsync(outFile, report.Text);
        return 0;
    }

    internal readonly record struct Sample(double FirstByteMs, double TotalMs);

    internal static async Task<Sample> OneAsync(HttpClient http, string baseUrl)
    {
        var started = Stopwatch.GetTimestamp();
        using var request = new HttpRequestMessage(HttpMethod.Post, baseUrl + "/v1/messages")
        {
            Content = new StringContent(Body, Encoding.UTF8, "application/json"),
        };
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        await using var stream = await response.Content.ReadAsStreamAsync();
        var buffer = new byte[8192];
        var read = await stream.ReadAsync(buffer);
        var firstByte = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        var total = read;
        while ((read = await stream.ReadAsync(buffer)) > 0) total += read;
        if (total < 1000) throw new InvalidOperationException($"short stream from {baseUrl}: {total} bytes");
        return new Sample(firstByte, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    }

    internal static async Task<double> ThroughputAsync(HttpClient http, string baseUrl) => (await CountedThroughputAsync(http, baseUrl)).PerSecond;

    /// <summary>Requests/s at <see cref="Concurrency"/> over <see cref="ThroughputWindow"/>, and how many completed (all answered 200).</summary>
    internal static async Task<(int Completed, double PerSecond)> CountedThroughputAsync(HttpClient http, string baseUrl)
    {
        var completed = 0;
        var stopAt = Stopwatch.GetTimestamp() + (long)(ThroughputWindow.TotalSeconds * Stopwatch.Frequency);
        var started = Stopwatch.GetTimestamp();
        var workers = Enumerable.Range(0, Concurrency).Select(async _ =>
        {
            while (Stopwatch.GetTimestamp() < stopAt)
            {
                await OneAsync(http, baseUrl);
                Interlocked.Increment(ref completed);
            }
        });
        await Task.WhenAll(workers);
        return (completed, completed / Stopwatch.GetElapsedTime(started).TotalSeconds);
    }

    private static long Memory(int pid, string field)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            if (line.StartsWith(field + ":", StringComparison.Ordinal))
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;
        throw new InvalidOperationException($"no {field} for pid {pid}");
    }

    internal static double Percentile(IEnumerable<double> values, double p)
    {
        var sorted = values.Order().ToArray();
        return sorted[(int)Math.Clamp(Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
    }

    private static (string Text, bool AllPass) Report(List<Sample> direct, List<Sample> through, double directRps, double throughRps,
        long idleRss, long loadedRss, long peakRss)
    {
        string F(double v) => v.ToString("0.000", CultureInfo.InvariantCulture);
        var d50 = Percentile(direct.Select(s => s.TotalMs), 0.50);
        var d99 = Percentile(direct.Select(s => s.TotalMs), 0.99);
        var t50 = Percentile(through.Select(s => s.TotalMs), 0.50);
        var t99 = Percentile(through.Select(s => s.TotalMs), 0.99);
        var f50d = Percentile(direct.Select(s => s.FirstByteMs), 0.50);
        var f50t = Percentile(through.Select(s => s.FirstByteMs), 0.50);
        var added50 = t50 - d50;
        var added99 = t99 - d99;
        var ratio = throughRps / directRps;

        var checks = new[]
        {
            ("added p50 latency at c=1 <= 0.2 ms", added50 <= 0.2, $"{F(added50)} ms"),
            ("c=16 throughput >= 90% of direct", ratio >= 0.9, $"{ratio:P1}"),
            ("idle RSS <= 60 MB", idleRss <= 60, $"{idleRss} MB"),
        };
        var text = new StringBuilder()
            .AppendLine($"Switchboard pass-through benchmark, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC; the load client sees {Environment.ProcessorCount} core(s)")
            .AppendLine($"request: streaming /v1/messages, reply of 25 SSE events; {LatencySamples} interleaved samples per path at c=1; {ThroughputWindow.TotalSeconds:0} s x 2 rounds per path at c={Concurrency}")
            .AppendLine()
            .AppendLine("| measure | direct | through Switchboard | added |")
            .AppendLine("|---|---|---|---|")
            .AppendLine($"| whole stream p50 (c=1) | {F(d50)} ms | {F(t50)} ms | {F(added50)} ms |")
            .AppendLine($"| whole stream p99 (c=1) | {F(d99)} ms | {F(t99)} ms | {F(added99)} ms |")
            .AppendLine($"| first byte p50 (c=1) | {F(f50d)} ms | {F(f50t)} ms | {F(f50t - f50d)} ms |")
            .AppendLine($"| requests/s (c={Concurrency}) | {directRps:0} | {throughRps:0} | {ratio:P1} of direct |")
            .AppendLine($"| Switchboard RSS | idle {idleRss} MB | after load {loadedRss} MB | peak {peakRss} MB |")
            .AppendLine();
        foreach (var (name, pass, value) in checks) text.AppendLine($"{(pass ? "PASS" : "MISS")}  {name}: {value}");
        return (text.ToString(), checks.All(c => c.Item2));
    }
}
