using System.Net;
using Microsoft.Extensions.Time.Testing;
using Shouldly;
using Switchboard.Tests.Infrastructure;

namespace Switchboard.Tests.Providers.Gemini;

/// <summary>Gemini's failures, before and during a reply, → Anthropic errors Claude Code acts on.</summary>
public sealed class GeminiErrorTests : GeminiTestBase
{
    [Theory]
    [InlineData(400, """{"error":{"code":400,"message":"API key not valid. Please pass a valid API key.","status":"INVALID_ARGUMENT"}}""", 401, "authentication_error", "GEMINI_API_KEY", 1)]
    [InlineData(400, """{"error":{"code":400,"message":"The input token count (1200000) exceeds the maximum number of tokens allowed (1048576).","status":"INVALID_ARGUMENT"}}""", 400, "invalid_request_error", "prompt is too long", 1)]
    [InlineData(429, """{"error":{"code":429,"message":"Resource has been exhausted (e.g. check quota).","status":"RESOURCE_EXHAUSTED"}}""", 429, "rate_limit_error", "exhausted", 3)]
    [InlineData(404, """{"error":{"code":404,"message":"models/gemini-9 is not found for API version v1beta","status":"NOT_FOUND"}}""", 404, "not_found_error", "gemini-9", 1)]
    [InlineData(503, """{"error":{"code":503,"message":"The model is overloaded. Please try again later.","status":"UNAVAILABLE"}}""", 529, "overloaded_error", "overloaded", 3)]
    [InlineData(500, """{"error":{"code":500,"message":"Internal error encountered.","status":"INTERNAL"}}""", 502, "api_error", "Internal error", 3)]
    public async Task Messages_GeminiErrors_BecomeAnthropicErrors(int status, string body, int expected, string type, string says, int attempts)
    {
        Gemini.Failure = (status, body);
        // (on a clock the test moves, so the backoff between retries takes no real time)
        var clock = new FakeTimeProvider();
        await using var switchboard = await RunningSwitchboard.StartAsync(Gemini.Config(), options => options with { Time = clock });

        using var response = await clock.AdvanceUntilDoneAsync(switchboard.Client.PostAsync("/v1/messages", AnthropicWire.Json(AnthropicWire.Request("gemini-9")), Cancel));

        var message = await response.ShouldBeAnthropicErrorAsync((HttpStatusCode)expected, type);
        message.ShouldContain(says);
        // Only what another attempt may fix was tried again, twice (the default retry.attempts)
        Gemini.Requests.Count.ShouldBe(attempts);
    }

    [Fact]
    public async Task Messages_ErrorMidStream_EndsWithAnErrorEvent()
    {
        Gemini.Reply = _ => [ScriptedGemini.Text("Start"), """{"error":{"code":500,"message":"Backend died","status":"INTERNAL"}}"""];

        var events = await StreamAsync(Body("gemini-2.5-pro", """[{"role":"user","content":"q"}]"""));

        events.ShouldContain(e => e.Type == "content_block_delta" && e.Delta!.Text == "Start");
        events[^1].Type.ShouldBe("error");
        events[^1].Error!.Message!.ShouldContain("Backend died");
    }

    [Fact]
    public async Task Messages_StreamEndingWithoutFinish_EndsWithAnErrorEvent()
    {
        Gemini.Reply = _ => [ScriptedGemini.Text("Half an ans")];

        var events = await StreamAsync(Body("gemini-2.5-pro", """[{"role":"user","content":"q"}]"""));

        events[^1].Type.ShouldBe("error");
        events[^1].Error!.Message!.ShouldContain("ended the reply before it was done");
    }
}
