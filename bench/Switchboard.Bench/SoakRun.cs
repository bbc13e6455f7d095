using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Switchboard.Tests.Infrastructure;

namespace Switchboard.Bench;

/// <summary>
/// The issue-14 load, repeated, against the published binary in front of <see cref="SoakUpstream"/>: 10,000 streams at
/// c=64, 500 streams held open at once, 1,000 clients that leave mid-stream, a 40 MB body (a 413) and a 10 MB one
/// (served); after each round, a minute and more with nothing to do. Switchboard's RSS is sampled every 200 ms
/// throughout; the report gives idle, peak, RSS with 500 open, and RSS 5 s, 60 s and 70 s after each round.
/// </summary>
internal static class SoakRun
{
    private const string Model = "oa:fast";

    public static async Task<int> RunAsync(string binary, int rounds, string? outFile)
    {
        await using var upstream = await SoakUpstream.StartAsync();
        var home = Directory.CreateTempSubdirectory("switchboard-soak-").FullName;
        await File.WriteAllTextAsync(Path.Combine(home, "config.json"), $$"""
            { "defaultProvider": "oa", "retry": { "attempts": 0 },
              "providers": { "oa": { "type": "openai", "baseUrl": "http://127.0.0.1:{{upstream.Port}}/v1", "apiKey": "sk-soak", "timeoutSeconds": 120 } } }
            """);
        var port = FreePort();
        var info = new ProcessStartInfo(binary) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { "serve", "--port", port.ToString(CultureInfo.InvariantCulture), "--log-file", Path.Combine(home, "switchboard.log") })
            info.ArgumentList.Add(arg);
        info.Environment["SWITCHBOARD_HOME"] = home;
        using var switchboard = Process.Start(info)!;
        switchboard.OutputDataReceived += (_, _) => { };
        switchboard.ErrorDataReceived += (_, _) => { };
        switchboard.BeginOutputReadLine();
        switchboard.BeginErrorReadLine();
        var report = new StringBuilder();
        try
        {
            using var http = new HttpClient(new SocketsHttpHandler { MaxResponseDrainSize = 0, UseProxy = false })
            {
                BaseAddress = new Uri($"http://127.0.0.1:{port}"),
                Timeout = TimeSpan.FromMinutes(2),
            };
            await WaitForHealthAsync(http);
            using var rss = new RssSampler(switchboard.Id);
            var load = new SoakLoad(http, upstream, switchboard.Id, Model);

            await load.StreamsAsync(200, 16);
            await Task.Delay(TimeSpan.FromSeconds(5));
            var idle = rss.Now();
            report.AppendLine(CultureInfo.InvariantCulture, $"Switchboard soak, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, binary {binary}")
                .AppendLine(CultureInfo.InvariantCulture, $"idle RSS (after 200 warm-up streams): {idle:0} MB")
                .AppendLine()
                .AppendLine("| round | phase | result | seconds | RSS after | peak during |")
                .AppendLine("|---|---|---|---|---|---|");
            for (var round = 1; round <= rounds; round++)
            {
                async Task Phase(string name, Func<Task<string>> run)
                {
                    rss.ResetPeak();
                    var clock = Stopwatch.StartNew();
                    var result = await run();
                    report.AppendLine(CultureInfo.InvariantCulture,
                        $"| {round} | {name} | {result} | {clock.Elapsed.TotalSeconds:0.0} | {rss.Now():0} MB | {rss.Peak:0} MB |");
                    Console.Error.WriteLine($"soak: round {round}, {name}: {result}");
                }
                await Phase("10,000 streams at c=64", async () => await load.StreamsAsync(10_000, 64));
                await Phase("500 open streams", async () => await load.HeldOpenAsync(500, rss));
                await Phase("1,000 mid-stream disconnects", async () => await load.DisconnectsAsync(1_000));
                await Phase("40 MB body", async () => await load.BodyAsync(40));
                await Phase("10 MB body", async () => await load.BodyAsync(10));
                var ended = Stopwatch.StartNew();
                var after = new List<string>();
                foreach (var seconds in new[] { 5, 60, 70 })
                {
                    await Task.Delay(TimeSpan.FromSeconds(seconds) - ended.Elapsed);
                    after.Add($"{seconds} s: {rss.Now():0} MB");
                }
                report.AppendLine(CultureInfo.InvariantCulture, $"| {round} | idle after the round | {string.Join(", ", after)} | | | |");
            }
            var log = File.Exists(Path.Combine(home, "switchboard.log")) ? await File.ReadAllTextAsync(Path.Combine(home, "switchboard.log")) : "";
            var traces = log.Split('\n').Count(line => line.TrimStart().StartsWith("at ", StringComparison.Ordinal));
            report.AppendLine()
                .AppendLine(CultureInfo.InvariantCulture, $"peak RSS of the whole run (VmHWM): {RssSampler.Read(switchboard.Id, "VmHWM"):0} MB; idle {idle:0} MB")
                .AppendLine(CultureInfo.InvariantCulture, $"stack-trace lines in the daemon's log: {traces}; the daemon {(switchboard.HasExited ? "EXITED" : "is alive")}");
            foreach (var line in log.Split('\n').Where(line => line.Contains("heap trimmed", StringComparison.Ordinal))) report.AppendLine("    " + line.Trim());
            Console.WriteLine(report);
            if (outFile is not null) await File.WriteAllTextAsync(outFile, report.ToString());
            return 0;
        }
        finally
        {
            if (!switchboard.HasExited) switchboard.Kill();
            Directory.Delete(home, recursive: true);
        }
    }

    private static async Task WaitForHealthAsync(HttpClient http)
    {
        for (var i = 0; i < 200; i++)
        {
            try
            {
                using var health = await http.GetAsync("/health");
                if (health.StatusCode == HttpStatusCode.OK) return;
            }
            catch (HttpRequestException)
            {
            }
            await Task.Delay(50);
        }
        throw new TimeoutException("Switchboard never answered /health");
    }

    private static int FreePort()
    {
        using var socket = new TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
    }
}
