using System.Net;
using Microsoft.Extensions.Time.Testing;
using Shouldly;
using Switchboard.Tests.Infrastructure;
using static Switchboard.Tests.Infrastructure.ScriptedBedrock;

namespace Switchboard.Tests.Providers.Bedrock;

/// <summary>Bedrock's exceptions and broken frames, before and during a reply, → Anthropic errors.</summary>
public sealed class BedrockErrorTests : BedrockTestBase
{
    [Theory]
    [InlineData(429, "ThrottlingException", "Too many requests, please wait before trying again.", 429, "rate_limit_error", "Too many requests", 3)]
    [InlineData(400, "ValidationException", "Input is too long for requested model.", 400, "invalid_request_error", "prompt is too long", 1)]
    [InlineData(400, "ValidationException", "messages: text content blocks must be non-empty", 400, "invalid_request_error", "non-empty", 1)]
    [InlineData(403, "AccessDeniedException", "You don't have access to the model with the specified model ID.", 403, "permission_error", "bedrock:InvokeModel", 1)]
    [InlineData(404, "ResourceNotFoundException", "Could not resolve the foundation model.", 404, "not_found_error", "model id", 1)]
    [InlineData(429, "ModelNotReadyException", "Model is not ready for inference.", 529, "overloaded_error", "not ready", 3)]
    [InlineData(503, "ServiceUnavailableException", "Service unavailable.", 529, "overloaded_error", "unavailable", 3)]
    [InlineData(500, "InternalServerException", "Internal failure.", 502, "api_error", "Internal failure", 3)]
    public async Task Converse_BedrockExceptions_BecomeAnthropicErrors(int status, string type, string said, int expected, string anthropicType, string mentions, int attempts)
    {
        Bedrock.Failure = (status, type, said);
        // (on a clock the test moves, so the backoff between retries takes no real time)
        var clock = new FakeTimeProvider();
        await using var switchboard = await RunningSwitchboard.StartAsync(Bedrock.Config(), options => options with { Time = clock });

        using var response = await clock.AdvanceUntilDoneAsync(switchboard.Client.PostAsync("/v1/messages", AnthropicWire.Json(AnthropicWire.Request(Haiku)), Cancel));

        var message = await response.ShouldBeAnthropicErrorAsync((HttpStatusCode)expected, anthropicType);
        message.ShouldContain(mentions);
        message.ShouldContain(type);
        // Only what another attempt may fix was tried again, twice (the default retry.attempts)
        Bedrock.Requests.Count.ShouldBe(attempts);
    }

    [Fact]
    public async Task Converse_ExceptionMidStream_EndsWithAnErrorEvent()
    {
        Bedrock.Converse = _ => [Text("Start"), Exception("throttlingException", "Rate exceeded mid-stream")];

        var events = await StreamAsync(Body("""[{"role":"user","content":"q"}]"""));

        events.ShouldContain(e => e.Delta != null && e.Delta.Text == "Start");
        events[^1].Type.ShouldBe("error");
        events[^1].Error!.Type.ShouldBe("rate_limit_error");
        events[^1].Error!.Message!.ShouldContain("Rate exceeded mid-stream");
    }

    [Fact]
    public async Task Converse_CorruptMessage_FailsTheCrcCheckAndEndsWithAnErrorEvent()
    {
        Bedrock.Converse = _ => [Text("Start"), BlockStop(0), MessageStop("end_turn")];
        Bedrock.CorruptLastMessage = true;

        var events = await StreamAsync(Body("""[{"role":"user","content":"q"}]"""));

        events[^1].Type.ShouldBe("error");
        events[^1].Error!.Message!.ShouldContain("broken event stream");
    }
}
