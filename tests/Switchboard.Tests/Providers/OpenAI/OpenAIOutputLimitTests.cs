using System.Net;
using System.Text.Json.Nodes;
using Shouldly;
using Switchboard.Tests.Infrastructure;

namespace Switchboard.Tests.Providers.OpenAI;

/// <summary>A server that refuses Claude Code's large output ask and names its limit: one retry within it, remembered when it is the model's own.</summary>
public sealed class OpenAIOutputLimitTests : OpenAITestBase
{
    private static int Asked(JsonObject chat) => (chat["max_tokens"] ?? chat["max_completion_tokens"])!.GetValue<int>();

    private void RefuseAbove(int limit, string message) =>
        OpenAI.Reject = chat => Asked(chat) > limit
            ? (400, new JsonObject { ["error"] = new JsonObject { ["message"] = message, ["type"] = "invalid_request_error" } }.ToJsonString())
            : null;

    [Theory]
    [InlineData("max_tokens is too large: 32000. This model supports at most 16384 completion tokens, whereas you provided 32000.", 16384)]
    [InlineData("`max_tokens` must be less than or equal to `8192`, the maximum value for `max_tokens` is less than the `context_window` for this model", 8192)]
    [InlineData("Invalid max_tokens value, the valid range of max_tokens is [1, 8192]", 8192)]
    public async Task Messages_ModelsOwnOutputLimit_IsRetriedWithinAndRemembered(string refusal, int limit)
    {
        RefuseAbove(limit, refusal);

        using (var first = await PostAsync(Request(stream: false).Replace("\"max_tokens\":1000", "\"max_tokens\":32000")))
            first.StatusCode.ShouldBe(HttpStatusCode.OK, await first.Content.ReadAsStringAsync(Cancel));
        using (var second = await PostAsync(Request(stream: false).Replace("\"max_tokens\":1000", "\"max_tokens\":32000")))
            second.StatusCode.ShouldBe(HttpStatusCode.OK);

        // the first request was refused once and retried within the limit; the second fit at once
        OpenAI.ChatRequests.Select(Asked).ShouldBe([32000, limit, limit]);
        Switchboard.Logs.All.ShouldContain($"allows {limit} output tokens");
    }

    [Fact]
    public async Task Messages_RoomLeftInTheContext_IsRetriedWithinButNotRemembered()
    {
        RefuseAbove(31768, "'max_tokens' or 'max_completion_tokens' is too large: 32000. This model's maximum context length is 32768 tokens and your request has 1000 input tokens (32000 > 32768 - 1000).");

        await StreamAsync(Request().Replace("\"max_tokens\":1000", "\"max_tokens\":32000"));
        await StreamAsync(Request().Replace("\"max_tokens\":1000", "\"max_tokens\":32000"));

        // the room depends on each prompt, so each request learns its own
        OpenAI.ChatRequests.Select(Asked).ShouldBe([32000, 31768, 32000, 31768]);
    }

    [Fact]
    public async Task Messages_StillRefusedAfterTheRetry_SaysWhichTransformerToAdd()
    {
        OpenAI.Reject = _ => (400, """{"error":{"message":"max_tokens is too large: 9000. This model supports at most 4096 completion tokens, whereas you provided 9000."}}""");

        using var response = await PostAsync(Request().Replace("\"max_tokens\":1000", "\"max_tokens\":9000"));

        (await response.ShouldBeAnthropicErrorAsync(HttpStatusCode.BadRequest, "invalid_request_error"))
            .ShouldStartWith("openai-test allows scripted-model at most 4096 output tokens");
        OpenAI.ChatRequests.Count().ShouldBe(2);
    }

    [Fact]
    public async Task Messages_OtherLimitsInARefusal_AreNotMistakenForTheOutputLimit()
    {
        OpenAI.Reject = _ => (400, """{"error":{"message":"temperature must be less than or equal to 2"}}""");

        using var response = await PostAsync(Request());

        (await response.ShouldBeAnthropicErrorAsync(HttpStatusCode.BadRequest, "invalid_request_error")).ShouldContain("temperature must be less than or equal to 2");
        OpenAI.ChatRequests.ShouldHaveSingleItem();
    }
}
