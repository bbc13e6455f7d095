using System.Net;
using System.Text;
using System.Text.Json;
using Shouldly;
using Switchboard.Tests.Infrastructure;

namespace Switchboard.Tests.Reliability;

/// <summary>
/// The published binary in front of <see cref="ScriptedProviders"/> (one scripted upstream per wire format), for the
/// bad-request table. Each case runs through <see cref="CaseAsync"/>: it is tallied, it must leave every upstream
/// untouched unless it says what should have arrived, and the daemon must still serve a good request after it.
/// </summary>
public sealed class BadInputBench : IAsyncDisposable
{
    private const string Served = "still serving";

    private BadInputBench(ScriptedProviders upstreams, PublishedServer server)
    {
        Upstreams = upstreams;
        Server = server;
    }

    public ScriptedProviders Upstreams { get; }
    public PublishedServer Server { get; }

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public static async Task<BadInputBench> StartAsync()
    {
        var upstreams = await ScriptedProviders.StartAsync((context, request) =>
            request.BodyText.Contains("\"stream\":true", StringComparison.Ordinal)
                ? AnthropicWire.WriteSseAsync(context, AnthropicWire.TextStream("m", Served))
                : AnthropicWire.WriteJsonAsync(context, AnthropicWire.TextMessage("m", Served)));
        return new BadInputBench(upstreams, await PublishedServer.StartAsync(upstreams.Config));
    }

    /// <summary>
    /// Runs one case: <paramref name="run"/> sends it and checks the reply; <paramref name="upstream"/> checks what the
    /// upstreams received meanwhile (by default: nothing). Afterwards a good request must still be served.
    /// </summary>
    public Task CaseAsync(string name, Func<Task> run, Action<IReadOnlyList<(string Upstream, RecordedRequest Request)>>? upstream = null) =>
        ReliabilityTally.CaseAsync(ReliabilityTally.BadInput, name, async () =>
        {
            var before = Upstreams.Counts();
            await run();
            var during = Upstreams.ReceivedSince(before);
            if (upstream is not null) upstream(during);
            else during.Select(r => $"{r.Upstream} {r.Request.Method} {r.Request.RawTarget}").ShouldBeEmpty($"case '{name}' reached an upstream");
            using var good = await Server.Client.PostAsync("/v1/messages", AnthropicWire.Json(AnthropicWire.Request(stream: false)), Cancel);
            (await good.Content.ReadAsStringAsync(Cancel)).ShouldContain(Served, customMessage: $"after case '{name}' the daemon no longer serves");
            if (Server.Problems() is { Count: > 0 } problems) throw new CrashException($"after case '{name}': {string.Join("; ", problems)}\n{Server.Log}");
        });

    public async Task<RawHttp.Reply> PostAsync(string path, string body, params string[] headers) =>
        await PostAsync(path, Encoding.UTF8.GetBytes(body), headers);

    public Task<RawHttp.Reply> PostAsync(string path, byte[] body, params string[] headers) =>
        RawHttp.SendAsync(Server.Port, $"POST {path} HTTP/1.1", body, Cancel, headers);

    /// <summary>Asserts Anthropic's error shape with this status and type; returns the message.</summary>
    public static string ShouldBeError(RawHttp.Reply reply, HttpStatusCode status, string type = "invalid_request_error")
    {
        reply.Status.ShouldBe((int)status, reply.Headers + "\n" + reply.Body);
        reply.Headers.ShouldContain("Content-Type: application/json", Case.Insensitive, reply.Headers);
        using var json = JsonDocument.Parse(reply.Body);
        json.RootElement.GetProperty("type").GetString().ShouldBe("error");
        var error = json.RootElement.GetProperty("error");
        error.GetProperty("type").GetString().ShouldBe(type, reply.Body);
        var message = error.GetProperty("message").GetString();
        message.ShouldNotBeNullOrWhiteSpace();
        return message!;
    }

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        await Upstreams.DisposeAsync();
    }
}
