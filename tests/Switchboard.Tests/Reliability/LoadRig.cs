using System.Net;
using System.Text;
using Shouldly;
using Switchboard.Anthropic;
using Switchboard.Tests.Infrastructure;

namespace Switchboard.Tests.Reliability;

/// <summary>
/// The published binary in front of an OpenAI-compatible <see cref="FaultyUpstream"/> (a translating provider, so
/// every stream is mapped event by event), and a client that can hold hundreds of streams open at once. A request's
/// model names what the upstream does (<c>fault-held--CASE</c> waits for <see cref="FaultyUpstream.Release"/>,
/// <c>fault-stall-mid-body--CASE</c> never goes on, <c>fault-none--CASE</c> streams the whole answer at once).
/// </summary>
public sealed class LoadRig : IAsyncDisposable
{
    private LoadRig(FaultyUpstream upstream, PublishedServer server)
    {
        Upstream = upstream;
        Server = server;
        // No draining of a reply the client gave up on: a disposed response closes its connection at once, as a
        // Claude Code process that is interrupted or killed does.
        Client = new HttpClient(new SocketsHttpHandler { MaxResponseDrainSize = 0, UseProxy = false })
        {
            BaseAddress = server.Address,
            Timeout = TimeSpan.FromSeconds(60),
        };
    }

    public FaultyUpstream Upstream { get; }
    public PublishedServer Server { get; }
    public HttpClient Client { get; }

    public static async Task<LoadRig> StartAsync()
    {
        var upstream = FaultyUpstream.Start(new OpenAIFaultWire());
        var server = await PublishedServer.StartAsync($$"""
            {
              "defaultProvider": "oa",
              "retry": { "attempts": 0 },
              "providers": { "oa": { "type": "openai", "baseUrl": "{{upstream.BaseUrl}}/v1", "apiKey": "sk-load", "timeoutSeconds": 60 } }
            }
            """);
        return new LoadRig(upstream, server);
    }

    public static HttpRequestMessage Request(string fault, string caseId) => new(HttpMethod.Post, "/v1/messages")
    {
        Content = AnthropicWire.Json(AnthropicWire.Request($"oa:fault-{fault}--{caseId}")),
    };

    /// <summary>One whole stream: 200, well-formed, ending with message_stop and carrying the whole answer.</summary>
    public async Task StreamCompleteAsync(string caseId, CancellationToken cancellationToken)
    {
        using var request = Request("none", caseId);
        using var response = await Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        EnsureComplete(response, await response.Content.ReadAsStringAsync(cancellationToken));
    }

    /// <summary>Checks a finished reply: 200, well-formed, message_stop last, the whole answer in it.</summary>
    public static void EnsureComplete(HttpResponseMessage response, string sse)
    {
        response.StatusCode.ShouldBe(HttpStatusCode.OK, sse);
        var events = StreamValidator.EnsureWellFormed(sse);
        if (events.Count == 0 || events[^1].Type != StreamEventTypes.MessageStop)
            throw new MalformedStreamException($"the stream does not end with message_stop:\n{sse}");
        string.Concat(AnthropicWire.Assemble(events).Content.Select(block => block.Text)).ShouldBe(FaultWire.Answer, sse);
    }

    /// <summary>Reads <paramref name="body"/> until the first whole event is in; returns what was read.</summary>
    public static async Task<string> ReadFirstEventAsync(Stream body, CancellationToken cancellationToken)
    {
        var text = new StringBuilder();
        var buffer = new byte[4096];
        while (!text.ToString().Contains("\n\n", StringComparison.Ordinal))
        {
            var read = await body.ReadAsync(buffer, cancellationToken);
            if (read == 0) throw new MalformedStreamException($"the stream ended before its first event: {text}");
            text.Append(Encoding.UTF8.GetString(buffer, 0, read));
        }
        return text.ToString();
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Server.DisposeAsync();
        await Upstream.DisposeAsync();
    }
}
