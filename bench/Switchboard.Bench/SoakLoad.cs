using System.Diagnostics;
using System.Net;
using System.Text;
using Switchboard.Tests.Infrastructure;

namespace Switchboard.Bench;

/// <summary>The soak's phases, each returning what it found in a few words for the report.</summary>
internal sealed class SoakLoad(HttpClient http, SoakUpstream upstream, int pid, string model)
{
    /// <summary><paramref name="count"/> whole streams, <paramref name="concurrency"/> at a time; each must end with message_stop.</summary>
    public async Task<string> StreamsAsync(int count, int concurrency)
    {
        var failed = 0;
        await Concurrently.RunAsync(count, concurrency, async _ =>
        {
            using var response = await http.PostAsync("/v1/messages", Request(model, stream: true));
            var sse = await response.Content.ReadAsStringAsync();
            if (response.StatusCode != HttpStatusCode.OK || !sse.EndsWith("data: {\"type\":\"message_stop\"}\n\n", StringComparison.Ordinal) ||
                sse.Contains("event: error", StringComparison.Ordinal))
                Interlocked.Increment(ref failed);
        });
        return failed == 0 ? $"all {count:N0} complete" : $"{failed} of {count:N0} INCOMPLETE";
    }

    /// <summary><paramref name="count"/> streams held mid-way until all are open; RSS then; then all released and completed.</summary>
    public async Task<string> HeldOpenAsync(int count, RssSampler rss)
    {
        var opened = 0;
        var allOpen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var streams = Enumerable.Range(0, count).Select(async _ =>
        {
            using var response = await http.SendAsync(Post(Request("oa:held", stream: true)), HttpCompletionOption.ResponseHeadersRead);
            await using var body = await response.Content.ReadAsStreamAsync();
            var first = await FirstEventAsync(body);
            if (Interlocked.Increment(ref opened) == count) allOpen.TrySetResult();
            var rest = await new StreamReader(body, Encoding.UTF8).ReadToEndAsync();
            return (first + rest).EndsWith("data: {\"type\":\"message_stop\"}\n\n", StringComparison.Ordinal);
        }).ToList();
        await allOpen.Task.WaitAsync(TimeSpan.FromMinutes(2));
        var open = rss.Now();
        var connections = LoopbackConnections.OpenBy(pid, upstream.Port);
        upstream.Release();
        var completed = (await Task.WhenAll(streams)).Count(ok => ok);
        return $"RSS with {count} open: **{open:0} MB** ({connections} upstream connections); {completed} of {count} then completed";
    }

    /// <summary>
    /// <paramref name="count"/> clients (64 at a time) that read a stream's first event and leave; then the upstream
    /// connections the daemon holds must be back to what it held before (its idle keep-alive pool) within 5 s.
    /// </summary>
    public async Task<string> DisconnectsAsync(int count)
    {
        var before = LoopbackConnections.OpenBy(pid, upstream.Port);
        await Concurrently.RunAsync(count, 64, async _ =>
        {
            using var response = await http.SendAsync(Post(Request("oa:stall", stream: true)), HttpCompletionOption.ResponseHeadersRead);
            await using var body = await response.Content.ReadAsStreamAsync();
            await FirstEventAsync(body);
        });
        var clock = Stopwatch.StartNew();
        int now;
        while ((now = LoopbackConnections.OpenBy(pid, upstream.Port)) > before && clock.Elapsed < TimeSpan.FromSeconds(5)) await Task.Delay(100);
        return now <= before
            ? $"upstream connections back to {now} (idle pool, {before} before) after {clock.Elapsed.TotalSeconds:0.0} s"
            : $"LEAK: {now} upstream connections 5 s later ({before} before)";
    }

    /// <summary>One non-streaming request of about <paramref name="megabytes"/> MB; returns its status.</summary>
    public async Task<string> BodyAsync(int megabytes)
    {
        var text = new string('x', megabytes * 1024 * 1024);
        using var content = new ByteArrayContent(Encoding.UTF8.GetBytes(
            $$"""{"model":"{{model}}","max_tokens":64,"messages":[{"role":"user","content":"{{text}}"}]}"""));
        content.Headers.ContentType = new("application/json");
        using var response = await http.PostAsync("/v1/messages", content);
        return $"{(int)response.StatusCode} {response.StatusCode}";
    }

    private static HttpRequestMessage Post(HttpContent content) => new(HttpMethod.Post, "/v1/messages") { Content = content };

    private static StringContent Request(string model, bool stream) => new(
        $$"""{"model":"{{model}}","max_tokens":64,"stream":{{(stream ? "true" : "false")}},"messages":[{"role":"user","content":"Soak me, please."}]}""",
        Encoding.UTF8, "application/json");

    private static async Task<string> FirstEventAsync(Stream body)
    {
        var text = new StringBuilder();
        var buffer = new byte[4096];
        while (!text.ToString().Contains("\n\n", StringComparison.Ordinal))
        {
            var read = await body.ReadAsync(buffer);
            if (read == 0) throw new IOException("the stream ended before its first event");
            text.Append(Encoding.UTF8.GetString(buffer, 0, read));
        }
        return text.ToString();
    }
}
