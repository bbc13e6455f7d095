using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Shouldly;
using Switchboard.Anthropic;
using Switchboard.Sanitizing;
using Switchboard.Tests.Infrastructure;
using static Switchboard.Tests.Infrastructure.ScriptedOpenAI;

namespace Switchboard.Tests.Providers.OpenAI;

/// <summary>Chat-completions replies → Anthropic events: text, reasoning, tool calls, usage, stop reasons, framing.</summary>
public sealed class OpenAIStreamTests : OpenAITestBase
{
    [Fact]
    public async Task Messages_PlainStreamingTurn_BecomesATextBlockWithUsage()
    {
        OpenAI.Chat = _ => [Role(), Text("Hello "), Text("from gpt."), Finish("stop"), Usage(prompt: 512, completion: 7), DoneLine];

        var events = await StreamAsync(Request());

        events.Select(e => e.Type).ShouldBe(["message_start", "content_block_start", "content_block_delta", "content_block_delta", "content_block_stop", "message_delta", "message_stop"]);
        events[0].Message!.Model.ShouldBe("scripted-model");
        var message = Assemble(events);
        message.Content.ShouldHaveSingleItem().Text.ShouldBe("Hello from gpt.");
        message.StopReason.ShouldBe("end_turn");
        message.Usage!.InputTokens.ShouldBe(512);
        message.Usage.OutputTokens.ShouldBe(7);
        var chat = SentChat;
        chat["stream"]!.GetValue<bool>().ShouldBeTrue();
        chat["stream_options"]!["include_usage"]!.GetValue<bool>().ShouldBeTrue();
    }

    [Fact]
    public async Task Messages_CachedPromptTokens_AreReportedAsCacheReadsAndNotCountedTwice()
    {
        OpenAI.Chat = _ => [Text("ok"), Finish("stop"), Usage(prompt: 1000, completion: 10, cached: 800), DoneLine];

        var message = Assemble(await StreamAsync(Request()));

        message.Usage!.InputTokens.ShouldBe(200);
        message.Usage.CacheReadInputTokens.ShouldBe(800);
        message.Usage.OutputTokens.ShouldBe(10);
    }

    [Fact]
    public async Task Messages_DeepSeekCacheHitCounts_AreReportedAsCacheReads()
    {
        var usage = """{"id":"x","object":"chat.completion.chunk","choices":[],"usage":{"prompt_tokens":900,"completion_tokens":5,"prompt_cache_hit_tokens":600,"prompt_cache_miss_tokens":300}}""";
        OpenAI.Chat = _ => [Text("ok"), Finish("stop"), usage, DoneLine];

        var message = Assemble(await StreamAsync(Request()));

        message.Usage!.InputTokens.ShouldBe(300);
        message.Usage.CacheReadInputTokens.ShouldBe(600);
    }

    [Fact]
    public async Task Messages_CommentLinesKeepAlivesAndSplitChunks_AreReadAsOneStream()
    {
        // Given OpenRouter's processing comments, and a chunk whose bytes arrive in two writes mid-JSON
        var split = "data: " + Text("world") + "\n\n";
        OpenAI.Chat = _ => [": OPENROUTER PROCESSING", Role(), ": OPENROUTER PROCESSING", Text("hello "), Raw(split[..17]), Raw(split[17..]), ":", Finish("stop"), Usage(), DoneLine];

        var message = Assemble(await StreamAsync(Request()));

        message.Content.ShouldHaveSingleItem().Text.ShouldBe("hello world");
        message.StopReason.ShouldBe("end_turn");
    }

    [Fact]
    public async Task Messages_FragmentedToolCall_StreamsAsOneToolUseBlock()
    {
        OpenAI.Chat = _ => [Role(), ToolCallStart(0, "call_abc", "Bash"), ToolCallArgs(0, "{\"comm"), ToolCallArgs(0, "and\": \"ls"), ToolCallArgs(0, " -la\"}"), Finish("tool_calls"), Usage(), DoneLine];

        var events = await StreamAsync(Request());

        var start = events.Single(e => e.Type == "content_block_start");
        start.ContentBlock!.Type.ShouldBe("tool_use");
        start.ContentBlock.Id.ShouldBe("call_abc");
        start.ContentBlock.Name.ShouldBe("Bash");
        // The fragments go on as they came, not gathered first
        events.Where(e => e.Delta?.Type == "input_json_delta").Select(e => e.Delta!.PartialJson).ShouldBe(["{\"comm", "and\": \"ls", " -la\"}"]);
        var message = Assemble(events);
        message.StopReason.ShouldBe("tool_use");
        message.Content.ShouldHaveSingleItem().Input!.Value.GetProperty("command").GetString().ShouldBe("ls -la");
    }

    [Fact]
    public async Task Messages_TextThenTwoParallelToolCalls_EachGetsItsOwnBlockInTurn()
    {
        OpenAI.Chat = _ => [
            Role(), Text("Let me look."),
            ToolCallStart(0, "call_1", "Read"), ToolCallArgs(0, "{\"file_path\":"), ToolCallArgs(0, " \"/tmp/a\"}"),
            ToolCallStart(1, "call_2", "Bash", "{\"command\""), ToolCallArgs(1, ": \"pwd\"}"),
            Finish("tool_calls"), Usage(), DoneLine];

        var events = await StreamAsync(Request());

        ShouldBeSequentialBlocks(events);
        var message = Assemble(events);
        message.Content.Select(b => b.Type).ShouldBe(["text", "tool_use", "tool_use"]);
        message.Content[1].Id.ShouldBe("call_1");
        message.Content[1].Input!.Value.GetProperty("file_path").GetString().ShouldBe("/tmp/a");
        message.Content[2].Id.ShouldBe("call_2");
        message.Content[2].Name.ShouldBe("Bash");
        message.Content[2].Input!.Value.GetProperty("command").GetString().ShouldBe("pwd");
        message.StopReason.ShouldBe("tool_use");
    }

    [Fact]
    public async Task Messages_InterleavedToolCallFragments_AreNeverMixedUp()
    {
        // Given both calls announced first and their arguments arriving in turns
        OpenAI.Chat = _ => [
            ToolCallStart(0, "call_a", "Read"), ToolCallStart(1, "call_b", "Grep"),
            ToolCallArgs(0, "{\"file_path\": "), ToolCallArgs(1, "{\"pattern\": "), ToolCallArgs(0, "\"/a.txt\"}"), ToolCallArgs(1, "\"TODO\"}"),
            Finish("tool_calls"), Usage(), DoneLine];

        var events = await StreamAsync(Request());

        ShouldBeSequentialBlocks(events);
        var message = Assemble(events);
        message.Content.Select(b => (b.Id, b.Name, b.Input!.Value.GetRawText())).ShouldBe([
            ("call_a", "Read", """{"file_path": "/a.txt"}"""),
            ("call_b", "Grep", """{"pattern": "TODO"}""")]);
    }

    [Fact]
    public async Task Messages_GeminiStyleWholeCallsInOneChunk_BecomeTwoBlocks()
    {
        var both = Chunk(new JsonObject
        {
            ["tool_calls"] = new JsonArray(
                new JsonObject { ["index"] = 0, ["id"] = "c1", ["type"] = "function", ["function"] = new JsonObject { ["name"] = "Read", ["arguments"] = "{\"file_path\":\"/x\"}" } },
                new JsonObject { ["index"] = 1, ["id"] = "c2", ["type"] = "function", ["function"] = new JsonObject { ["name"] = "Read", ["arguments"] = "{\"file_path\":\"/y\"}" } }),
        });
        OpenAI.Chat = _ => [both, Finish("tool_calls"), DoneLine];

        var events = await StreamAsync(Request());

        ShouldBeSequentialBlocks(events);
        Assemble(events).Content.Select(b => b.Input!.Value.GetProperty("file_path").GetString()).ShouldBe(["/x", "/y"]);
    }

    [Fact]
    public async Task Messages_ToolCallWithoutArgumentsOrUsableId_GetsAnEmptyObjectAndASafeId()
    {
        // Kimi-style ids hold '.' and ':', which Anthropic ids may not
        OpenAI.Chat = _ => [ToolCallStart(0, "functions.TodoRead:0", "TodoRead"), Finish("tool_calls"), DoneLine];

        var events = await StreamAsync(Request());

        var block = Assemble(events).Content.ShouldHaveSingleItem();
        block.Id.ShouldBe(ToolIdRule.Anthropic.Rewrite("functions.TodoRead:0"));
        block.Id.ShouldStartWith("functions_TodoRead_0_");
        block.Input!.Value.GetRawText().ShouldBe("{}");
    }

    [Fact]
    public async Task Messages_ParallelCallsWhoseIdsDifferOnlyInUnsafeCharacters_KeepDifferentIds()
    {
        OpenAI.Chat = _ => [ToolCallStart(0, "call.1", "A", "{}"), ToolCallStart(1, "call:1", "B", "{}"), Finish("tool_calls"), DoneLine];

        var events = await StreamAsync(Request());

        var ids = Assemble(events).Content.Select(block => block.Id).ToList();
        ids.Count.ShouldBe(2);
        ids.Distinct().Count().ShouldBe(2);
    }

    [Fact]
    public async Task Messages_WhitespaceTextAfterToolCalls_IsDropped()
    {
        OpenAI.Chat = _ => [ToolCallStart(0, "call_1", "Bash", "{\"command\":\"ls\"}"), Text("\n\n"), Finish("tool_calls"), DoneLine];

        var message = Assemble(await StreamAsync(Request()));

        message.Content.Select(b => b.Type).ShouldBe(["tool_use"]);
    }

    [Fact]
    public async Task Messages_TextAfterToolCalls_KeepsItsInnerWhitespace()
    {
        OpenAI.Chat = _ => [ToolCallStart(0, "call_1", "Bash", "{\"command\":\"ls\"}"), Text("Running"), Text(" "), Text("now."), Finish("tool_calls"), DoneLine];

        var message = Assemble(await StreamAsync(Request()));

        message.Content.Select(b => b.Type).ShouldBe(["tool_use", "text"]);
        message.Content[1].Text.ShouldBe("Running now.");
    }

    [Theory]
    [InlineData("reasoning_content")]
    [InlineData("reasoning")]
    public async Task Messages_ReasoningDeltas_BecomeAThinkingBlockWithASignature(string field)
    {
        OpenAI.Chat = _ => [Role(), Reasoning("Weighing ", field), Reasoning("options.", field), Text("Answer."), Finish("stop"), Usage(), DoneLine];

        var events = await StreamAsync(Request());

        var message = Assemble(events);
        message.Content.Select(b => b.Type).ShouldBe(["thinking", "text"]);
        message.Content[0].Thinking.ShouldBe("Weighing options.");
        message.Content[0].Signature.ShouldBe(SynthesizedSignature.For("openai-test"));
        message.Content[1].Text.ShouldBe("Answer.");
        // the signature arrives as its own delta, before the block closes, as Claude Code expects
        events.ShouldContain(e => e.Delta != null && e.Delta.Type == "signature_delta");
    }

    [Fact]
    public async Task Messages_ReasoningUnderBothFieldNames_IsNotDoubled()
    {
        // newer vLLM fills reasoning and reasoning_content with the same text
        OpenAI.Chat = _ => [Chunk(new JsonObject { ["reasoning_content"] = "Once.", ["reasoning"] = "Once." }), Text("Done."), Finish("stop"), DoneLine];

        var message = Assemble(await StreamAsync(Request()));

        message.Content[0].Thinking.ShouldBe("Once.");
    }

    [Theory]
    [InlineData("length", "max_tokens")]
    [InlineData("content_filter", "refusal")]
    [InlineData("stop", "end_turn")]
    public async Task Messages_FinishReason_MapsToStopReason(string finish, string stop)
    {
        OpenAI.Chat = _ => [Text("partial"), Finish(finish), Usage(), DoneLine];

        Assemble(await StreamAsync(Request())).StopReason.ShouldBe(stop);
    }

    [Fact]
    public async Task Messages_StopStringReportedByVllm_BecomesStopSequence()
    {
        var finish = """{"id":"x","object":"chat.completion.chunk","choices":[{"index":0,"delta":{},"finish_reason":"stop","stop_reason":"END"}]}""";
        OpenAI.Chat = _ => [Text("counting 1 2 3 "), finish, DoneLine];

        var message = Assemble(await StreamAsync(Request(extra: ""","stop_sequences":["END"]""")));

        message.StopReason.ShouldBe("stop_sequence");
        message.StopSequence.ShouldBe("END");
        SentChat["stop"]![0]!.GetValue<string>().ShouldBe("END");
    }

    [Fact]
    public async Task Messages_ServerThatIgnoresStreaming_IsReadAsOneReply()
    {
        var upstream = await ScriptedUpstream.StartAsync((context, _) => AnthropicWire.WriteJsonAsync(context,
            """{"id":"x","object":"chat.completion","choices":[{"index":0,"message":{"role":"assistant","content":"whole at once"},"finish_reason":"stop"}],"usage":{"prompt_tokens":9,"completion_tokens":3}}"""));
        await using (upstream)
        await using (var switchboard = await RunningSwitchboard.StartAsync(
            "{\"defaultProvider\":\"p\",\"providers\":{\"p\":{\"type\":\"openai\",\"baseUrl\":\"" + upstream.BaseUrl + "\"}}}"))
        {
            using var response = await switchboard.Client.PostAsync("/v1/messages", AnthropicWire.Json(Request()), Cancel);
            var events = new List<StreamEvent>();
            await foreach (var e in SseEventReader.ReadAsync(await response.Content.ReadAsStreamAsync(Cancel), Cancel)) events.Add(e);

            var message = Assemble(events);
            message.Content.ShouldHaveSingleItem().Text.ShouldBe("whole at once");
            message.Usage!.OutputTokens.ShouldBe(3);
        }
    }

    [Fact]
    public async Task Messages_StreamEndingAfterFinishWithoutDone_StillEndsWell()
    {
        OpenAI.Chat = _ => [Text("fine"), Finish("stop"), Usage()];

        var events = await StreamAsync(Request());

        events[^1].Type.ShouldBe("message_stop");
        Assemble(events).Content.ShouldHaveSingleItem().Text.ShouldBe("fine");
    }

    [Fact]
    public async Task Messages_StreamCutOffBeforeFinishing_EndsWithAnErrorEvent()
    {
        OpenAI.Chat = _ => [Role(), Text("I was saying")];

        var events = await StreamAsync(Request());

        events.ShouldNotContain(e => e.Type == "message_stop");
        events[^1].Type.ShouldBe("error");
        events[^1].Error!.Message.ShouldContain("ended the reply before it was done");
    }

    [Fact]
    public async Task Messages_NonStreamingClient_GetsOneCompleteMessageFromANonStreamedReply()
    {
        OpenAI.Chat = _ => [Reasoning("Think."), Text("Reading it."), ToolCallStart(0, "call_9", "Read", "{\"file_path\":\"/r\"}"), Finish("tool_calls"), Usage(prompt: 50, completion: 9), DoneLine];

        using var response = await PostAsync(Request(stream: false));

        var body = await response.Content.ReadAsStringAsync(Cancel);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, body);
        var message = JsonSerializer.Deserialize(body, AnthropicJson.Default.MessageResponse)!;
        message.Content.Select(b => b.Type).ShouldBe(["thinking", "text", "tool_use"]);
        message.Content[0].Signature.ShouldBe(SynthesizedSignature.For("openai-test"));
        message.Content[2].Input!.Value.GetProperty("file_path").GetString().ShouldBe("/r");
        message.StopReason.ShouldBe("tool_use");
        message.Usage!.InputTokens.ShouldBe(50);
        var chat = SentChat;
        chat["stream"]!.GetValue<bool>().ShouldBeFalse();
        chat.ContainsKey("stream_options").ShouldBeFalse();
    }
}
