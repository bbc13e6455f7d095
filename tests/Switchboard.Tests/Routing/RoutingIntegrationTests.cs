using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Shouldly;
using Switchboard.Anthropic;
using Switchboard.Routing;
using Switchboard.Tests.EndToEnd;
using Switchboard.Tests.Infrastructure;

namespace Switchboard.Tests.Routing;

/// <summary>Routing through the real server: duties to different upstreams, pinned URLs, token counts. (Retries,
/// fallbacks and cool-downs: <c>Forwarding/FallbackTests</c>.)</summary>
public sealed class RoutingIntegrationTests : AnthropicAndOllamaTests
{
    private static async Task<string> SendRecordedAsync(RunningSwitchboard switchboard, string recording, string path = "/v1/messages")
    {
        using var request = RecordedClaudeCode.HttpRequest(recording, path);
        request.Headers.TryAddWithoutValidation("x-api-key", "sk-ant-api03-routing-test");
        using var response = await switchboard.Client.SendAsync(request, Cancel);
        var text = await response.Content.ReadAsStringAsync(Cancel);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, text);
        return text;
    }

    private IEnumerable<string> AnthropicModels => _anthropic.Requests.Where(r => r.Path == "/v1/messages").Select(r => JsonNode.Parse(r.Body)!["model"]!.GetValue<string>());

    [Fact]
    public async Task Duties_MainTurnAndSubagent_LandOnDifferentUpstreams()
    {
        await using var switchboard = await RunningSwitchboard.StartAsync(Config("""
            "routes": { "subagent": "ollama-local:qwen3:8b" }
            """));

        var main = await SendRecordedAsync(switchboard, "main-turn");
        var subagent = await SendRecordedAsync(switchboard, "subagent");

        (await AnthropicWire.TextOfAsync(main, Cancel)).ShouldBe("from anthropic claude-opus-5-5");
        (await AnthropicWire.TextOfAsync(subagent, Cancel)).ShouldBe("from ollama qwen3:8b");
        AnthropicModels.ShouldBe(["claude-opus-5-5"]);
        _ollama.ChatRequests.Single()["messages"]![0]!["content"]!.GetValue<string>().ShouldContain("You are an agent for Claude Code");
        switchboard.Logs.All.ShouldContain("duty=subagent rule=duty:subagent -> ollama-local:qwen3:8b fallbacks=none");
        switchboard.Logs.All.ShouldContain("duty=default rule=default provider -> anthropic:claude-opus-5-5");
    }

    [Fact]
    public async Task PinnedUrl_ForcesItsTarget_WhateverTheBodySays()
    {
        await using var switchboard = await RunningSwitchboard.StartAsync(Config("\"routes\": {}"));

        var reply = await SendRecordedAsync(switchboard, "main-turn", "/ollama-local:llama3.2:3b/v1/messages");

        (await AnthropicWire.TextOfAsync(reply, Cancel)).ShouldBe("from ollama llama3.2:3b");
        AnthropicModels.ShouldBeEmpty();
    }

    [Fact]
    public async Task InSessionSwitch_ProviderCommaModel_RoutesThereAndTheSessionCarriesOn()
    {
        await using var switchboard = await RunningSwitchboard.StartAsync(Config("\"routes\": {}"));

        using var switched = await switchboard.Client.PostAsync("/v1/messages", AnthropicWire.Json(AnthropicWire.Request("ollama-local,qwen3:8b", stream: false)), Cancel);
        using var back = await switchboard.Client.PostAsync("/v1/messages", AnthropicWire.Json(AnthropicWire.Request("claude-sonnet-4-5", stream: false)), Cancel);

        (await switched.Content.ReadAsStringAsync(Cancel)).ShouldContain("from ollama qwen3:8b");
        (await back.Content.ReadAsStringAsync(Cancel)).ShouldContain("from anthropic claude-sonnet-4-5");
    }

    [Fact]
    public async Task CountTokens_ForANonAnthropicTarget_IsCountedLocallyWithTheTokenizer()
    {
        await using var switchboard = await RunningSwitchboard.StartAsync(Config("\"routes\": {}"));
        var text = string.Join(' ', Enumerable.Range(0, 2000).Select(i => $"word{i % 37}"));
        var body = $$"""{"model":"ollama-local:qwen3:8b","messages":[{"role":"user","content":{{JsonSerializer.Serialize(text)}}}]}""";

        using var response = await switchboard.Client.PostAsync("/v1/messages/count_tokens", AnthropicWire.Json(body), Cancel);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        using var counted = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Cancel));
        var tokens = counted.RootElement.GetProperty("input_tokens").GetInt32();
        tokens.ShouldBe(TokenCounter.Count(JsonSerializer.Deserialize(body, AnthropicJson.Default.MessagesRequest)!));
        tokens.ShouldNotBe(Encoding.UTF8.GetByteCount(body) / 4);
        tokens.ShouldBeInRange(2000, 8000);
        _ollama.Requests.ShouldBeEmpty();
    }

    [Fact]
    public async Task CountTokens_ForAnAnthropicTarget_IsForwarded()
    {
        await using var switchboard = await RunningSwitchboard.StartAsync(Config("\"routes\": {}"));

        using var response = await switchboard.Client.PostAsync("/v1/messages/count_tokens",
            AnthropicWire.Json("""{"model":"claude-sonnet-4-5","messages":[{"role":"user","content":"hi"}]}"""), Cancel);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        _anthropic.Requests.Single().Path.ShouldBe("/v1/messages/count_tokens");
    }
}
