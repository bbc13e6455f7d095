using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Shouldly;
using Switchboard.Tests.Infrastructure;
using static Switchboard.Tests.Sanitizing.Histories;

namespace Switchboard.Tests.Sanitizing;

/// <summary>
/// What reaches each provider's wire when Claude Code's real requests go there through the real server: none of
/// Anthropic's own fields forwarded blindly, and tool ids each provider accepts.
/// </summary>
public sealed partial class TargetWireTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    /// <summary>Claude Code's fields only Anthropic understands.</summary>
    private static readonly string[] AnthropicOnly = ["context_management", "clear_thinking", "output_config", "defer_loading", "cache_control"];

    [GeneratedRegex("^[a-zA-Z0-9_-]{1,64}$")]
    private static partial Regex StrictId();

    private static string Retargeted(string fixture, string model)
    {
        var body = JsonNode.Parse(Fixture(fixture))!.AsObject();
        body["model"] = model;
        return body.ToJsonString();
    }

    private static void ShouldCarryNothingOnlyAnthropicKnows(string wireBody)
    {
        foreach (var field in AnthropicOnly) wireBody.ShouldNotContain(field);
    }

    [Fact]
    public async Task MainTurn_ToOllamasMessagesApi_HasNoAnthropicOnlyFieldsAndNoSystemTurn()
    {
        await using var ollama = await ScriptedUpstream.StartAsync((context, _) => AnthropicWire.WriteSseAsync(context, AnthropicWire.TextStream("qwen3-coder", "ok")));
        await using var switchboard = await RunningSwitchboard.StartAsync($$$$"""
            {"defaultProvider":"ollama-cloud","providers":{"ollama-cloud":{"type":"ollama","baseUrl":"{{{{ollama.BaseUrl}}}}","api":"anthropic"}}}
            """);

        await AnthropicWire.PostStreamAsync(switchboard.Client, Retargeted(MainTurn, "qwen3-coder"), Cancel);

        var sent = ollama.Requests.Single(r => r.Path == "/v1/messages");
        ShouldCarryNothingOnlyAnthropicKnows(sent.BodyText);
        JsonNode.Parse(sent.Body)!["messages"]!.AsArray().ShouldAllBe(m => m!["role"]!.GetValue<string>() != "system");
    }

    [Fact]
    public async Task MainTurn_ToOllamaNative_HasNoAnthropicOnlyFields()
    {
        await using var ollama = await ScriptedOllama.StartAsync();
        await using var switchboard = await RunningSwitchboard.StartAsync(ollama.Config());

        await AnthropicWire.PostStreamAsync(switchboard.Client, Retargeted(MainTurn, "qwen3:8b"), Cancel);

        ShouldCarryNothingOnlyAnthropicKnows(ollama.ChatRequests.ShouldHaveSingleItem().ToJsonString());
    }

    [Fact]
    public async Task MainTurn_ToOpenAICompatible_HasNoAnthropicOnlyFields()
    {
        await using var openai = await ScriptedOpenAI.StartAsync();
        await using var switchboard = await RunningSwitchboard.StartAsync(openai.Config());

        await AnthropicWire.PostStreamAsync(switchboard.Client, Retargeted(MainTurn, "qwen3-coder"), Cancel);

        ShouldCarryNothingOnlyAnthropicKnows(openai.ChatRequests.ShouldHaveSingleItem().ToJsonString());
    }

    [Fact]
    public async Task MainTurn_ToGemini_HasNoAnthropicOnlyFields()
    {
        await using var gemini = await ScriptedGemini.StartAsync();
        await using var switchboard = await RunningSwitchboard.StartAsync(gemini.Config());

        await AnthropicWire.PostStreamAsync(switchboard.Client, Retargeted(MainTurn, "gemini-2.5-pro"), Cancel);

        ShouldCarryNothingOnlyAnthropicKnows(gemini.GenerateRequests.ShouldHaveSingleItem().ToJsonString());
    }

    [Fact]
    public async Task StructuredOutput_ToOllama_IsRefusedWithCapabilityRejected_AndNeverSent()
    {
        await using var ollama = await ScriptedOllama.StartAsync();
        await using var switchboard = await RunningSwitchboard.StartAsync(ollama.Config());
        var body = AnthropicWire.Request("qwen3:8b").Replace("\"stream\":true", "\"stream\":true,\"output_config\":{\"format\":{\"type\":\"json_schema\",\"schema\":{\"type\":\"object\"}}}");

        using var response = await switchboard.Client.PostAsync("/v1/messages", AnthropicWire.Json(body), Cancel);

        var message = await response.ShouldBeAnthropicErrorAsync(System.Net.HttpStatusCode.BadRequest, "invalid_request_error");
        message.ShouldStartWith("capability_rejected: structured_outputs_unsupported (qwen3:8b in ollama-local ");
        ollama.ChatRequests.ShouldBeEmpty();
    }

    [Fact]
    public async Task KimiIds_ToBedrockConverse_FitItsPatternAndStayPaired()
    {
        TestAwsProfile.Install();
        await using var bedrock = await ScriptedBedrock.StartAsync();
        await using var switchboard = await RunningSwitchboard.StartAsync(bedrock.Config());

        await AnthropicWire.PostStreamAsync(switchboard.Client, Retargeted(KimiResumed, "amazon.nova-pro-v1:0"), Cancel);

        var blocks = bedrock.Bodies.ShouldHaveSingleItem()["messages"]!.AsArray().SelectMany(m => m!["content"]!.AsArray()).ToList();
        var uses = blocks.Where(b => b!["toolUse"] is not null).Select(b => b!["toolUse"]!["toolUseId"]!.GetValue<string>()).ToList();
        var results = blocks.Where(b => b!["toolResult"] is not null).Select(b => b!["toolResult"]!["toolUseId"]!.GetValue<string>()).ToList();
        uses.Count.ShouldBe(2);
        uses.ShouldAllBe(id => StrictId().IsMatch(id));
        results.ShouldBe(uses);
    }

    [Fact]
    public async Task KimiIds_ToOpenAI_FitItsLimitAndStayPaired()
    {
        await using var openai = await ScriptedOpenAI.StartAsync();
        await using var switchboard = await RunningSwitchboard.StartAsync(openai.Config());

        await AnthropicWire.PostStreamAsync(switchboard.Client, Retargeted(KimiResumed, "gpt-5-mini"), Cancel);

        var messages = openai.ChatRequests.ShouldHaveSingleItem()["messages"]!.AsArray();
        var calls = messages.SelectMany(m => m!["tool_calls"] as JsonArray ?? []).Select(c => c!["id"]!.GetValue<string>()).ToList();
        calls.Count.ShouldBe(2);
        calls.ShouldAllBe(id => id.Length <= 40 && StrictId().IsMatch(id));
        messages.Where(m => m!["role"]!.GetValue<string>() == "tool").Select(m => m!["tool_call_id"]!.GetValue<string>()).ShouldBe(calls);
    }
}
