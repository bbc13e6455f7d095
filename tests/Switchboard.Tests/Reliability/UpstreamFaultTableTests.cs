using System.Net;
using System.Text;
using System.Text.Json;
using Shouldly;
using Switchboard.Anthropic;
using Switchboard.Tests.Infrastructure;

namespace Switchboard.Tests.Reliability;

/// <summary>
/// The fault table: every way an upstream fails (<see cref="FaultExpectation.Faults"/>), for every wire format, to a
/// streaming and a non-streaming client, through the published binary. Each case must end as its expectation says,
/// with a stream the client's parser accepts, and the daemon must still be alive with no unhandled exception logged.
/// One class per wire format, so the formats run side by side.
/// </summary>
[UsesPublishedBinary]
public abstract class UpstreamFaultTable(string format, FaultWire wire, string providerJson) : IAsyncLifetime
{
    private static int s_cases;
    private FaultyUpstream _upstream = null!;
    private PublishedServer _server = null!;

    private string Faulty => "faulty-" + format;
    private string Down => "down-" + format;

    public static TheoryData<string, bool> Cases(string format)
    {
        var data = new TheoryData<string, bool>();
        foreach (var fault in FaultExpectation.Faults)
        foreach (var streaming in new[] { true, false })
            if (FaultExpectation.Applies(format, fault, streaming)) data.Add(fault, streaming);
        return data;
    }

    public async ValueTask InitializeAsync()
    {
        _upstream = FaultyUpstream.Start(wire);
        var baseUrl = format == "openai" ? _upstream.BaseUrl + "/v1" : _upstream.BaseUrl;
        var closed = $"http://127.0.0.1:{TestPorts.Free()}";
        string Provider(string url) => providerJson.Replace("{", $"{{ \"baseUrl\": \"{url}\", \"timeoutSeconds\": 2, ", StringComparison.Ordinal);
        _server = await PublishedServer.StartAsync($$"""
            {
              "defaultProvider": "{{Faulty}}",
              "retry": { "attempts": 0 },
              "providers": { "{{Faulty}}": {{Provider(baseUrl)}}, "{{Down}}": {{Provider(closed)}} }
            }
            """);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            // Whatever the table did, the daemon still answers, and logged no unhandled exception.
            using var after = await _server.Client.PostAsync("/v1/messages", AnthropicWire.Json(AnthropicWire.Request($"{Faulty}:fault-none--after", stream: false)));
            (await after.Content.ReadAsStringAsync()).ShouldContain(FaultWire.Answer);
            _server.EnsureHealthy();
        }
        finally
        {
            await _server.DisposeAsync();
            await _upstream.DisposeAsync();
            GC.SuppressFinalize(this);
        }
    }

    protected async Task RunAsync(string fault, bool streaming)
    {
        var caseId = "c" + Interlocked.Increment(ref s_cases);
        var expected = FaultExpectation.For(format, fault, streaming);
        await ReliabilityTally.CaseAsync(ReliabilityTally.Fault, $"{format} {fault} {(streaming ? "streaming" : "whole")}", async () =>
        {
            // A whole reply shows nothing before it ends: the fault may strike at once.
            if (!streaming) _upstream.Release(caseId);
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
            deadline.CancelAfter(TimeSpan.FromSeconds(60));
            var provider = fault == "refused" ? Down : Faulty;
            using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/messages")
            {
                Content = AnthropicWire.Json(AnthropicWire.Request($"{provider}:fault-{fault}--{caseId}", streaming)),
            };
            request.Headers.Add("x-api-key", "sk-ant-fault-table");
            using var response = await _server.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, deadline.Token);
            var body = await ReadAsync(response, caseId, deadline.Token);
            var said = $"{(int)response.StatusCode} {response.Content.Headers.ContentType?.MediaType}: {Cut(body)}";

            if (expected.Outcome == FaultExpectation.HttpError)
            {
                response.StatusCode.ShouldBe((HttpStatusCode)expected.Status, said);
                response.Content.Headers.ContentType?.MediaType.ShouldBe("application/json", said);
                using var json = JsonDocument.Parse(body);
                json.RootElement.GetProperty("type").GetString().ShouldBe("error", said);
                json.RootElement.GetProperty("error").GetProperty("type").GetString().ShouldBe(expected.ErrorType, said);
                CheckMessage(json.RootElement.GetProperty("error").GetProperty("message").GetString()!, expected, provider);
                if (expected.Status == 429) response.Headers.RetryAfter?.Delta.ShouldBe(TimeSpan.FromSeconds(7), said);
                return;
            }

            response.StatusCode.ShouldBe(HttpStatusCode.OK, said);
            if (!streaming)
            {
                var message = JsonSerializer.Deserialize(body, AnthropicJson.Default.MessageResponse)!;
                message.Content.ShouldHaveSingleItem(said).Text.ShouldBe(FaultWire.Answer);
            }
            else
            {
                var events = StreamValidator.EnsureWellFormed(body);
                if (expected.Outcome == FaultExpectation.StreamError)
                {
                    events[^1].Type.ShouldBe(StreamEventTypes.Error, said);
                    CheckMessage(events[^1].Error!.Message!, expected, provider);
                }
                else
                {
                    events[^1].Type.ShouldBe(StreamEventTypes.MessageStop, said);
                    string.Concat(AnthropicWire.Assemble(events).Content.Select(block => block.Text)).ShouldBe(FaultWire.Answer);
                }
            }
            if (fault == "never-closing")
            {
                // The reply is complete; the connection the upstream held open must have been let go.
                try
                {
                    await _upstream.ClosedByRouter(caseId).WaitAsync(TimeSpan.FromSeconds(20), deadline.Token);
                }
                catch (TimeoutException)
                {
                    throw new LeakException($"{format}: the router still holds the connection of a finished reply open");
                }
            }
        }, () => _server.PeakRssMegabytes());
    }

    /// <summary>The reply as a client reads it; a streaming one is read until its first event before the upstream may fail.</summary>
    private async Task<string> ReadAsync(HttpResponseMessage response, string caseId, CancellationToken cancellationToken)
    {
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        var text = new StringBuilder();
        var buffer = new byte[16 * 1024];
        var decoder = Encoding.UTF8.GetDecoder();
        var chars = new char[buffer.Length];
        int read;
        while ((read = await stream.ReadAsync(buffer, cancellationToken)) > 0)
        {
            text.Append(chars, 0, decoder.GetChars(buffer, 0, read, chars, 0, flush: false));
            if (text.ToString().Contains("\n\n", StringComparison.Ordinal)) _upstream.Release(caseId);
        }
        _upstream.Release(caseId);
        return text.ToString();
    }

    private void CheckMessage(string message, FaultExpectation expected, string provider)
    {
        if (expected.Verbatim)
        {
            message.ShouldStartWith("anthropic-says-");
            return;
        }
        message.ShouldContain(provider, Case.Sensitive, message);
        message.ShouldNotContain("<", Case.Sensitive, message);
        message.ShouldNotContain("unexpectedly", Case.Insensitive, message);
        if (expected.Says is { } says) message.ShouldContain(says, Case.Sensitive, message);
    }

    private static string Cut(string text) => text.Length <= 600 ? text : text[..600] + "…";
}

public sealed class AnthropicFaultTableTests() : UpstreamFaultTable("anthropic", new AnthropicFaultWire(), """{ "type": "anthropic" }""")
{
    public static TheoryData<string, bool> All => Cases("anthropic");

    [Theory, MemberData(nameof(All))]
    public Task Fault_EndsAsTheTableSays(string fault, bool streaming) => RunAsync(fault, streaming);
}

public sealed class AnthropicEventsFaultTableTests() : UpstreamFaultTable("events", new AnthropicFaultWire(), """{ "type": "anthropic", "relay": "events" }""")
{
    public static TheoryData<string, bool> All => Cases("events");

    [Theory, MemberData(nameof(All))]
    public Task Fault_EndsAsTheTableSays(string fault, bool streaming) => RunAsync(fault, streaming);
}

public sealed class OpenAIFaultTableTests() : UpstreamFaultTable("openai", new OpenAIFaultWire(), """{ "type": "openai", "apiKey": "sk-openai-fault" }""")
{
    public static TheoryData<string, bool> All => Cases("openai");

    [Theory, MemberData(nameof(All))]
    public Task Fault_EndsAsTheTableSays(string fault, bool streaming) => RunAsync(fault, streaming);
}

public sealed class OllamaFaultTableTests() : UpstreamFaultTable("ollama", new OllamaFaultWire(), """{ "type": "ollama" }""")
{
    public static TheoryData<string, bool> All => Cases("ollama");

    [Theory, MemberData(nameof(All))]
    public Task Fault_EndsAsTheTableSays(string fault, bool streaming) => RunAsync(fault, streaming);
}

public sealed class GeminiFaultTableTests() : UpstreamFaultTable("gemini", new GeminiFaultWire(), """{ "type": "gemini", "apiKey": "gemini-fault-key" }""")
{
    public static TheoryData<string, bool> All => Cases("gemini");

    [Theory, MemberData(nameof(All))]
    public Task Fault_EndsAsTheTableSays(string fault, bool streaming) => RunAsync(fault, streaming);
}

public sealed class BedrockFaultTableTests() : UpstreamFaultTable("bedrock", new BedrockFaultWire(), """{ "type": "bedrock", "region": "us-east-1", "apiKey": "bedrock-fault-key" }""")
{
    public static TheoryData<string, bool> All => Cases("bedrock");

    [Theory, MemberData(nameof(All))]
    public Task Fault_EndsAsTheTableSays(string fault, bool streaming) => RunAsync(fault, streaming);
}
