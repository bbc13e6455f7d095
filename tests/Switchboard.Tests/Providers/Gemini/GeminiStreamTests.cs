using System.Net;
using System.Text.Json;
using Shouldly;
using Switchboard.Anthropic;
using Switchboard.Tests.Infrastructure;

namespace Switchboard.Tests.Providers.Gemini;

/// <summary>What Claude Code gets back: Gemini's replies, streamed or whole, as Anthropic messages.</summary>
public sealed class GeminiStreamTests : GeminiTestBase
{
    [Fact]
    public async Task Messages_PlainStreamingTurn_TranslatesRequestAndReply()
    {
        Gemini.Reply = _ => [ScriptedGemini.Text("Hello "), ScriptedGemini.Text("from Gemini."), ScriptedGemini.Finish(prompt: 800, candidates: 9, cached: 300, thoughts: 4)];
        var body = """
            {"model":"gemini-2.5-pro","max_tokens":900,"stream":true,"temperature":0.3,"top_p":0.9,"top_k":20,
             "stop_sequences":["A","B","C","D","E","F"],
             "system":[{"type":"text","text":"x-anthropic-billing-header: cc_version=2.1.330;"},{"type":"text","text":"You are terse."}],
             "context_management":{"edits":[]},"output_config":{"effort":"high"},
             "messages":[{"role":"user","content":"hi"},{"role":"user","content":[{"type":"text","text":"still me"}]},
                         {"role":"assistant","content":"hey"},
                         {"role":"system","content":"Mid-conversation note."},
                         {"role":"user","content":"again"}]}
            """;

        var events = await StreamAsync(body);

        var sent = Gemini.GenerateRequests.Single();
        Gemini.Requests.Single().Path.ShouldBe("/v1beta/models/gemini-2.5-pro:streamGenerateContent");
        Gemini.Requests.Single().Query.ShouldBe("?alt=sse");
        sent["systemInstruction"]!["parts"]!.AsArray().Select(p => p!["text"]!.GetValue<string>()).ShouldBe(["You are terse."]);
        var contents = sent["contents"]!.AsArray();
        contents.Select(c => c!["role"]!.GetValue<string>()).ShouldBe(["user", "model", "user"]);
        contents[0]!["parts"]!.AsArray().Select(p => p!["text"]!.GetValue<string>()).ShouldBe(["hi", "still me"]);
        contents[2]!["parts"]!.AsArray().Select(p => p!["text"]!.GetValue<string>()).ShouldBe(["[system] Mid-conversation note.", "again"]);
        var generation = sent["generationConfig"]!;
        generation["maxOutputTokens"]!.GetValue<int>().ShouldBe(900);
        generation["temperature"]!.GetValue<double>().ShouldBe(0.3);
        generation["topP"]!.GetValue<double>().ShouldBe(0.9);
        generation["topK"]!.GetValue<int>().ShouldBe(20);
        generation["stopSequences"]!.AsArray().Count.ShouldBe(5);
        sent.ToJsonString().ShouldNotContain("context_management");
        sent.ToJsonString().ShouldNotContain("billing-header");

        var message = AnthropicWire.Assemble(events);
        message.Content.Single().Text.ShouldBe("Hello from Gemini.");
        message.StopReason.ShouldBe("end_turn");
        message.Usage!.InputTokens.ShouldBe(500);
        message.Usage.CacheReadInputTokens.ShouldBe(300);
        message.Usage.OutputTokens.ShouldBe(13);
        events[0].Type.ShouldBe("message_start");
        events[^1].Type.ShouldBe("message_stop");
    }

    [Fact]
    public async Task Messages_NonStreaming_UsesGenerateContentAndReturnsAMessage()
    {
        Gemini.Reply = _ => [ScriptedGemini.Text("Whole answer."), ScriptedGemini.Finish("MAX_TOKENS")];

        using var response = await Switchboard.Client.PostAsync("/v1/messages", AnthropicWire.Json(AnthropicWire.Request("gemini-2.5-flash", stream: false)), Cancel);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        using var message = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Cancel));
        message.RootElement.GetProperty("content")[0].GetProperty("text").GetString().ShouldBe("Whole answer.");
        message.RootElement.GetProperty("stop_reason").GetString().ShouldBe("max_tokens");
        Gemini.Requests.Single().Path.ShouldBe("/v1beta/models/gemini-2.5-flash:generateContent");
    }

    [Fact]
    public async Task Messages_ParallelCallsOfOneFunction_GetDistinctIdsAndToolUseStop()
    {
        Gemini.Reply = _ => [ScriptedGemini.Calls("sig-parallel", ("Read", """{"path":"a.txt"}"""), ("Read", """{"path":"b.txt"}""")), ScriptedGemini.Finish()];

        var message = AnthropicWire.Assemble(await StreamAsync(Body("gemini-3-pro-preview", """[{"role":"user","content":"read both"}]""")));

        message.StopReason.ShouldBe("tool_use");
        var calls = message.Content.Where(b => b.Type == "tool_use").ToList();
        calls.Select(c => c.Input!.Value.GetProperty("path").GetString()).ShouldBe(["a.txt", "b.txt"]);
        calls.Select(c => c.Id).Distinct().Count().ShouldBe(2);
        calls.ShouldAllBe(c => System.Text.RegularExpressions.Regex.IsMatch(c.Id!, "^[a-zA-Z0-9_-]{1,64}$"));
        // The signature rides on a signed, empty thinking block just before the first call.
        var carrier = message.Content[message.Content.IndexOf(calls[0]) - 1];
        carrier.Type.ShouldBe("thinking");
        carrier.Signature.ShouldEndWith("sig-parallel");
    }

    [Fact]
    public async Task Messages_ThoughtParts_BecomeSignedThinkingAndThinkingConfigFollowsTheModel()
    {
        Gemini.Reply = _ => [ScriptedGemini.Thought("Let me think."), ScriptedGemini.Text("Answer."), ScriptedGemini.Finish(thoughts: 30)];

        var events = await StreamAsync(Body("gemini-2.5-pro", """[{"role":"user","content":"q"}]""", "\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":4000},"));
        await StreamAsync(Body("gemini-3-pro-preview", """[{"role":"user","content":"q"}]""", "\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":32000},"));
        await StreamAsync(Body("gemini-2.5-flash", """[{"role":"user","content":"q"}]""", "\"thinking\":{\"type\":\"disabled\"},"));
        await StreamAsync(Body("gemini-2.5-pro", """[{"role":"user","content":"q"}]""", "\"thinking\":{\"type\":\"adaptive\"},"));

        var message = AnthropicWire.Assemble(events);
        message.Content[0].Type.ShouldBe("thinking");
        message.Content[0].Thinking.ShouldBe("Let me think.");
        SynthesizedSignature.IsSynthesized(message.Content[0].Signature).ShouldBeTrue();
        message.Content[1].Text.ShouldBe("Answer.");
        events.ShouldContain(e => e.Delta != null && e.Delta.Type == "signature_delta");

        var configs = Gemini.GenerateRequests.Select(r => r["generationConfig"]!["thinkingConfig"]).ToList();
        configs[0]!["thinkingBudget"]!.GetValue<int>().ShouldBe(4000);
        configs[0]!["includeThoughts"]!.GetValue<bool>().ShouldBeTrue();
        configs[1]!["thinkingLevel"]!.GetValue<string>().ShouldBe("high");
        configs[1]!["thinkingBudget"].ShouldBeNull();
        configs[2]!["thinkingBudget"]!.GetValue<int>().ShouldBe(0);
        configs[3]!["includeThoughts"]!.GetValue<bool>().ShouldBeTrue();
        configs[3]!["thinkingBudget"].ShouldBeNull();
    }

    [Theory]
    [InlineData("SAFETY", "refusal", "stopped the answer: SAFETY")]
    [InlineData("RECITATION", "refusal", "stopped the answer: RECITATION")]
    [InlineData("MAX_TOKENS", "max_tokens", null)]
    public async Task Messages_FinishReasons_MapToStopReasons(string finish, string stop, string? note)
    {
        Gemini.Reply = _ => [ScriptedGemini.Text("Partial"), ScriptedGemini.Finish(finish)];

        var message = AnthropicWire.Assemble(await StreamAsync(Body("gemini-2.5-pro", """[{"role":"user","content":"q"}]""")));

        message.StopReason.ShouldBe(stop);
        if (note is not null) message.Content.Last().Text!.ShouldContain(note);
    }

    [Fact]
    public async Task Messages_BlockedPrompt_IsARefusalThatSaysWhy()
    {
        Gemini.Reply = _ => ["""{"promptFeedback":{"blockReason":"PROHIBITED_CONTENT"},"usageMetadata":{"promptTokenCount":12,"totalTokenCount":12}}"""];

        var message = AnthropicWire.Assemble(await StreamAsync(Body("gemini-2.5-pro", """[{"role":"user","content":"q"}]""")));

        message.StopReason.ShouldBe("refusal");
        message.Content.Single().Text.ShouldBe("Gemini (gemini) refused the prompt: blocked for PROHIBITED_CONTENT.");
    }
}
