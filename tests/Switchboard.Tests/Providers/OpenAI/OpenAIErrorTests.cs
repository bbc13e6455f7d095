using System.Net;
using Microsoft.Extensions.Time.Testing;
using Shouldly;
using Switchboard.Hosting;
using Switchboard.Tests.Infrastructure;
using static Switchboard.Tests.Infrastructure.ScriptedOpenAI;

namespace Switchboard.Tests.Providers.OpenAI;

/// <summary>Server failures, before and during a reply, → Anthropic errors Claude Code acts on.</summary>
public sealed class OpenAIErrorTests : OpenAITestBase
{
    // Failures worth another attempt are retried with backoff (and retry-after): on this clock those waits take no real time.
    private readonly FakeTimeProvider _clock = new();

    protected override Func<ServerOptions, ServerOptions> Tune => options => options with { Time = _clock };

    [Theory]
    [InlineData(400, """{"error":{"message":"Invalid value for 'tools[0].function.name'","type":"invalid_request_error","code":null}}""", HttpStatusCode.BadRequest, "invalid_request_error", "Invalid value for 'tools[0].function.name'", 1)]
    [InlineData(401, """{"error":{"message":"Incorrect API key provided: sk-abc***","type":"invalid_request_error","code":"invalid_api_key"}}""", HttpStatusCode.Unauthorized, "authentication_error", "Check apiKey for provider 'openai-test'", 1)]
    [InlineData(404, """{"object":"error","message":"The model `nope` does not exist.","type":"NotFoundError","code":404}""", HttpStatusCode.NotFound, "not_found_error", "The model `nope` does not exist.", 1)]
    [InlineData(500, """{"error":{"message":"The server had an error while processing your request."}}""", HttpStatusCode.BadGateway, "api_error", "openai-test answered 500: The server had an error", 3)]
    [InlineData(503, "upstream connect error", (HttpStatusCode)529, "overloaded_error", "upstream connect error", 3)]
    public async Task Messages_HttpError_BecomesTheMatchingAnthropicError(int status, string body, HttpStatusCode expected, string type, string wording, int attempts)
    {
        OpenAI.Failure = (status, body, null);

        using var response = await _clock.AdvanceUntilDoneAsync(PostAsync(Request()));

        (await response.ShouldBeAnthropicErrorAsync(expected, type)).ShouldContain(wording);
        // Only a failure another attempt may fix is tried again, twice (the default retry.attempts)
        OpenAI.ChatRequests.Count().ShouldBe(attempts);
    }

    [Fact]
    public async Task Messages_RateLimited_Is429WithTheServersRetryAfter()
    {
        OpenAI.Failure = (429, """{"error":{"message":"Rate limit exceeded: free-models-per-min.","code":429}}""", "7");

        using var response = await _clock.AdvanceUntilDoneAsync(PostAsync(Request()));

        (await response.ShouldBeAnthropicErrorAsync(HttpStatusCode.TooManyRequests, "rate_limit_error")).ShouldContain("free-models-per-min");
        response.Headers.RetryAfter!.Delta.ShouldBe(TimeSpan.FromSeconds(7));
        // After waiting the 7 s it was told to, twice (the default retry.attempts)
        OpenAI.ChatRequests.Count().ShouldBe(3);
    }

    [Theory]
    [InlineData("""{"error":{"message":"This model's maximum context length is 128000 tokens. However, your messages resulted in 131072 tokens. Please reduce the length of the messages.","type":"invalid_request_error","code":"context_length_exceeded"}}""",
        "prompt is too long: 131072 tokens > 128000 maximum")]
    [InlineData("""{"error":{"code":400,"message":"request (40193 tokens) exceeds the available context size (32768 tokens), try increasing it","type":"exceed_context_size_error","n_prompt_tokens":40193,"n_ctx":32768}}""",
        "prompt is too long: 40193 tokens > 32768 maximum")]
    [InlineData("""{"error":{"message":"Please reduce the length of the messages or completion.","type":"invalid_request_error","param":"messages"}}""",
        "prompt is too long: Please reduce the length of the messages or completion.")]
    public async Task Messages_ContextOverflow_IsWordedSoClaudeCodeCompacts(string body, string message)
    {
        OpenAI.Failure = (400, body, null);

        using var response = await PostAsync(Request());

        (await response.ShouldBeAnthropicErrorAsync(HttpStatusCode.BadRequest, "invalid_request_error")).ShouldBe(message);
    }

    [Fact]
    public async Task Messages_ErrorMidStream_BecomesAnErrorEventAfterWhatWasSent()
    {
        OpenAI.Chat = _ => [Role(), Text("partial answer"), Error("Provider returned error: upstream overloaded", 502)];

        var events = await StreamAsync(Request());

        events[0].Type.ShouldBe("message_start");
        Assemble(events).Content.ShouldHaveSingleItem().Text.ShouldBe("partial answer");
        events[^1].Type.ShouldBe("error");
        events[^1].Error!.Type.ShouldBe("api_error");
        events[^1].Error!.Message.ShouldContain("upstream overloaded");
    }

    [Fact]
    public async Task Messages_FinishReasonError_EndsWithAnErrorEventNotAQuietStop()
    {
        OpenAI.Chat = _ => [Role(), Text("half"), Finish("error"), DoneLine];

        var events = await StreamAsync(Request());

        events.ShouldNotContain(e => e.Type == "message_stop");
        events[^1].Error!.Message.ShouldContain("stopped the reply with an error");
    }

    [Fact]
    public async Task Messages_ContextOverflowMidStream_IsAnErrorEventClaudeCodeRecognises()
    {
        OpenAI.Chat = _ => [Role(), Text("x"), Error("This endpoint's maximum context length is 65536 tokens. However, you requested about 70000 tokens", 400)];

        var events = await StreamAsync(Request());

        events[^1].Error!.Type.ShouldBe("invalid_request_error");
        events[^1].Error!.Message.ShouldBe("prompt is too long: 70000 tokens > 65536 maximum");
    }

    [Fact]
    public async Task Messages_ErrorAsTheFirstChunk_IsAProperHttpError()
    {
        // OpenRouter answers 200 and then reports a routed provider's failure as the first chunk
        OpenAI.Chat = _ => [": OPENROUTER PROCESSING", Error("Rate limit exceeded upstream", 429)];

        using var response = await _clock.AdvanceUntilDoneAsync(PostAsync(Request()));

        (await response.ShouldBeAnthropicErrorAsync(HttpStatusCode.TooManyRequests, "rate_limit_error")).ShouldContain("Rate limit exceeded upstream");
        // Nothing had reached the client, so it was a failure like any other 429: tried again, twice
        OpenAI.ChatRequests.Count().ShouldBe(3);
    }

    [Fact]
    public async Task Messages_NonStreamingClient_GetsTheErrorAsJson()
    {
        OpenAI.Failure = (400, """{"error":{"message":"bad temperature"}}""", null);

        using var response = await PostAsync(Request(stream: false));

        (await response.ShouldBeAnthropicErrorAsync(HttpStatusCode.BadRequest, "invalid_request_error")).ShouldContain("bad temperature");
    }

    [Fact]
    public async Task Messages_ServerDown_Is502NamingTheProvider()
    {
        var port = TestPorts.Free();
        await using var switchboard = await RunningSwitchboard.StartAsync(
            """{"defaultProvider":"local","providers":{"local":{"type":"openai","preset":"vllm","baseUrl":"http://127.0.0.1:""" + port + """/v1"}}}""", Tune);

        using var response = await _clock.AdvanceUntilDoneAsync(switchboard.Client.PostAsync("/v1/messages", AnthropicWire.Json(Request()), Cancel));

        (await response.ShouldBeAnthropicErrorAsync(HttpStatusCode.BadGateway, "api_error")).ShouldContain("Could not reach provider 'local'");
    }
}
