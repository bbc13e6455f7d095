using System.Net;
using System.Text.Json;
using Shouldly;
using Switchboard.Tests.Infrastructure;
using static Switchboard.Tests.Infrastructure.ScriptedBedrock;

namespace Switchboard.Tests.Providers.Bedrock;

/// <summary>What Claude Code gets back from Converse: streamed or whole, as Anthropic messages.</summary>
public sealed class BedrockStreamTests : BedrockTestBase
{
    [Fact]
    public async Task Converse_PlainTurn_IsSigV4SignedForTheRegionAndTranslatedBothWays()
    {
        Bedrock.Converse = _ => [Text("Hello "), Text("from Bedrock."), BlockStop(0), MessageStop("end_turn"), Metadata(812, 9, cacheRead: 100)];
        var body = Body("""
            [{"role":"user","content":"hi"},{"role":"user","content":[{"type":"text","text":"again"}]},
             {"role":"assistant","content":"hey"},{"role":"system","content":"Mid note."},{"role":"user","content":"go"}]
            """, """
            "system":[{"type":"text","text":"x-anthropic-billing-header: cc_version=2.1.330;"},{"type":"text","text":"Be brief."}],
            "temperature":0.4,"top_p":0.7,"top_k":12,"stop_sequences":["STOP"],"context_management":{"edits":[]},
            """);

        var events = await StreamAsync(body);

        Bedrock.Refusals.ShouldBeEmpty();
        var seen = Bedrock.Requests.Single();
        seen.Path.ShouldBe($"/model/{Haiku}/converse-stream");
        seen.RawTarget.ShouldBe("/model/anthropic.claude-haiku-4-5-20251001-v1%3A0/converse-stream");
        seen.Header("authorization")!.ShouldStartWith($"AWS4-HMAC-SHA256 Credential={AccessKey}/");
        var sent = Bedrock.Bodies.Single();
        sent["system"]!.AsArray().Select(b => b!["text"]!.GetValue<string>()).ShouldBe(["Be brief."]);
        var messages = sent["messages"]!.AsArray();
        messages.Select(m => m!["role"]!.GetValue<string>()).ShouldBe(["user", "assistant", "user"]);
        messages[0]!["content"]!.AsArray().Select(b => b!["text"]!.GetValue<string>()).ShouldBe(["hi", "again"]);
        messages[2]!["content"]!.AsArray().Select(b => b!["text"]!.GetValue<string>()).ShouldBe(["[system] Mid note.", "go"]);
        sent["inferenceConfig"]!["maxTokens"]!.GetValue<int>().ShouldBe(2000);
        sent["inferenceConfig"]!["temperature"]!.GetValue<double>().ShouldBe(0.4);
        sent["inferenceConfig"]!["stopSequences"]![0]!.GetValue<string>().ShouldBe("STOP");
        sent["additionalModelRequestFields"]!["top_k"]!.GetValue<int>().ShouldBe(12);
        sent.ToJsonString().ShouldNotContain("context_management");

        var message = AnthropicWire.Assemble(events);
        message.Content.Single().Text.ShouldBe("Hello from Bedrock.");
        message.StopReason.ShouldBe("end_turn");
        message.Usage!.InputTokens.ShouldBe(812);
        message.Usage.OutputTokens.ShouldBe(9);
        message.Usage.CacheReadInputTokens.ShouldBe(100);
    }

    [Fact]
    public async Task Converse_StreamedToolCall_ArrivesAsToolUseWithItsArgumentsInPieces()
    {
        Bedrock.Converse = _ =>
        [
            Text("Let me look."), BlockStop(0),
            ToolStart(1, "tooluse_abc123", "Read"), ToolInput(1, "{\"path\":"), ToolInput(1, "\"a.txt\"}"), BlockStop(1),
            MessageStop("tool_use"), Metadata(50, 20),
        ];

        var events = await StreamAsync(Body("""[{"role":"user","content":"read a.txt"}]""", """ "tools":[{"name":"Read","input_schema":{"type":"object","properties":{"path":{"type":"string"}}}}],"tool_choice":{"type":"any"}, """));

        events.Count(e => e.Delta?.Type == "input_json_delta").ShouldBe(2);
        var message = AnthropicWire.Assemble(events);
        message.StopReason.ShouldBe("tool_use");
        var call = message.Content.Single(b => b.Type == "tool_use");
        (call.Id, call.Name).ShouldBe(("tooluse_abc123", "Read"));
        call.Input!.Value.GetProperty("path").GetString().ShouldBe("a.txt");
        var tools = Bedrock.Bodies.Single()["toolConfig"]!;
        tools["tools"]![0]!["toolSpec"]!["name"]!.GetValue<string>().ShouldBe("Read");
        tools["tools"]![0]!["toolSpec"]!["inputSchema"]!["json"]!["properties"]!["path"].ShouldNotBeNull();
        tools["toolChoice"]!["any"].ShouldNotBeNull();
    }

    [Fact]
    public async Task Converse_Reasoning_BecomesThinkingWithBedrocksSignatureAndBudgetGoesToClaude()
    {
        Bedrock.Converse = _ =>
        [
            Reasoning(0, text: "Thinking it through."), Reasoning(0, signature: "EqQBbedrock-signature"), BlockStop(0),
            Text("Done.", 1), BlockStop(1), MessageStop("end_turn"), Metadata(10, 30),
        ];

        var message = AnthropicWire.Assemble(await StreamAsync(Body("""[{"role":"user","content":"q"}]""", """ "thinking":{"type":"enabled","budget_tokens":1500}, """)));

        message.Content[0].Type.ShouldBe("thinking");
        message.Content[0].Thinking.ShouldBe("Thinking it through.");
        message.Content[0].Signature.ShouldBe("EqQBbedrock-signature");
        message.Content[1].Text.ShouldBe("Done.");
        var thinking = Bedrock.Bodies.Single()["additionalModelRequestFields"]!["thinking"]!;
        thinking["type"]!.GetValue<string>().ShouldBe("enabled");
        thinking["budget_tokens"]!.GetValue<int>().ShouldBe(1500);
    }

    [Theory]
    [InlineData("max_tokens", "max_tokens", null)]
    [InlineData("stop_sequence", "stop_sequence", null)]
    [InlineData("guardrail_intervened", "refusal", "guardrail_intervened")]
    [InlineData("content_filtered", "refusal", "content_filtered")]
    [InlineData("model_context_window_exceeded", "model_context_window_exceeded", null)]
    [InlineData("malformed_tool_use", "end_turn", "malformed")]
    public async Task Converse_StopReasons_Map(string bedrock, string anthropic, string? note)
    {
        Bedrock.Converse = _ => [Text("Part"), BlockStop(0), MessageStop(bedrock), Metadata(1, 1)];

        var message = AnthropicWire.Assemble(await StreamAsync(Body("""[{"role":"user","content":"q"}]""")));

        message.StopReason.ShouldBe(anthropic);
        if (note is not null) message.Content.Last().Text!.ShouldContain(note);
    }

    [Fact]
    public async Task Converse_NonStreamingClient_GetsTheWholeMessage()
    {
        using var response = await Switchboard.Client.PostAsync("/v1/messages", AnthropicWire.Json(AnthropicWire.Request(Haiku, stream: false)), Cancel);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        using var message = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Cancel));
        message.RootElement.GetProperty("content")[0].GetProperty("text").GetString().ShouldBe("hello from bedrock");
        message.RootElement.GetProperty("usage").GetProperty("output_tokens").GetInt32().ShouldBe(7);
    }
}
