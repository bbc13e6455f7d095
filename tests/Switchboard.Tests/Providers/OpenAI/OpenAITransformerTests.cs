using System.Text.Json.Nodes;
using Shouldly;
using Switchboard.Tests.Infrastructure;
using static Switchboard.Tests.Infrastructure.ScriptedOpenAI;

namespace Switchboard.Tests.Providers.OpenAI;

/// <summary>Each transformer, declared for a provider or for one model, as the server and the client see it.</summary>
public sealed class OpenAITransformerTests : OpenAITestBase
{
    private async Task<JsonObject> SendWithAsync(string transformers, string body, string preset = "")
    {
        await ReconfigureAsync(preset + """, "transformers": """ + transformers);
        await StreamAsync(body);
        return SentChat;
    }

    private const string BashTool = ""","tools":[{"name":"Bash","input_schema":{"type":"object","properties":{"command":{"type":"string"},"timeout":{"type":"integer"},"run_in_background":{"type":"boolean"},"file_path":{"type":"string"}}}}]""";

    [Theory]
    [InlineData(128000, 16384)]
    [InlineData(4000, 4000)]
    public async Task MaxToken_CapsWhatIsAskedForAndNeverRaisesIt(int asked, int sent)
    {
        var chat = await SendWithAsync("""[["maxtoken", {"max_tokens": 16384}]]""", $$"""{"model":"m","max_tokens":{{asked}},"stream":true,"messages":[{"role":"user","content":"x"}]}""");

        chat["max_tokens"]!.GetValue<int>().ShouldBe(sent);
    }

    [Fact]
    public async Task MaxToken_AlsoCapsOpenAIsMaxCompletionTokens()
    {
        var chat = await SendWithAsync("""[["maxtoken", {"max_tokens": 2000}]]""", Request("gpt-4.1"), preset: """, "preset": "openai", "apiKey": "k" """);

        chat["max_completion_tokens"]!.GetValue<int>().ShouldBe(1000);
        await ReconfigureAsync(""", "preset": "openai", "apiKey": "k", "transformers": [["maxtoken", {"max_tokens": 500}]]""");
        await StreamAsync(Request("gpt-4.1"));
        OpenAI.ChatRequests.Last()["max_completion_tokens"]!.GetValue<int>().ShouldBe(500);
    }

    [Fact]
    public async Task Sampling_SetsAndStripsSettings()
    {
        var chat = await SendWithAsync("""[["sampling", {"temperature": 0.6, "top_k": 20, "repetition_penalty": 1.05, "top_p": null}]]""",
            Request(extra: ""","temperature":1.0,"top_p":0.9"""));

        chat["temperature"]!.GetValue<double>().ShouldBe(0.6);
        chat["top_k"]!.GetValue<int>().ShouldBe(20);
        chat["repetition_penalty"]!.GetValue<double>().ShouldBe(1.05);
        chat.ContainsKey("top_p").ShouldBeFalse();
    }

    [Fact]
    public async Task Sampling_WithoutOptions_StripsAllOfThem()
    {
        var chat = await SendWithAsync("""["sampling"]""", Request(extra: ""","temperature":1.0,"top_p":0.9,"top_k":5"""), preset: """, "preset": "vllm" """);

        foreach (var key in (string[])["temperature", "top_p", "top_k", "repetition_penalty"]) chat.ContainsKey(key).ShouldBeFalse(key);
    }

    [Fact]
    public async Task CleanCache_StripsTheCacheMarksOpenRouterWouldForward()
    {
        var chat = await SendWithAsync("""["cleancache"]""",
            Request("anthropic/claude-sonnet-4", extra: ""","system":[{"type":"text","text":"Stable.","cache_control":{"type":"ephemeral"}}]"""),
            preset: """, "preset": "openrouter", "apiKey": "k" """);

        chat.ToJsonString().ShouldNotContain("cache_control");
        chat["messages"]![0]!["content"]!.GetValue<string>().ShouldBe("Stable.");
    }

    [Fact]
    public async Task Reasoning_Plain_ReadsReasoningContentAndSendsItBackOnToolTurns()
    {
        OpenAI.Chat = _ => [Chunk(new JsonObject { ["reasoning_content"] = "kept", ["reasoning"] = "ignored" }), Text("ok"), Finish("stop"), DoneLine];
        var history = """
            [{"role":"user","content":"x"},{"role":"assistant","content":[{"type":"thinking","thinking":"plan","signature":"s"},{"type":"tool_use","id":"c1","name":"Bash","input":{}}]},
             {"role":"user","content":[{"type":"tool_result","tool_use_id":"c1","content":"done"}]}]
            """;

        await ReconfigureAsync(""", "transformers": ["reasoning"]""");
        var events = await StreamAsync(Request(messages: history));

        SentChat["messages"]![1]!["reasoning_content"]!.GetValue<string>().ShouldBe("plan");
        Assemble(events).Content[0].Thinking.ShouldBe("kept");
    }

    [Fact]
    public async Task Reasoning_FieldOption_ReadsOnlyThatField()
    {
        OpenAI.Chat = _ => [Chunk(new JsonObject { ["reasoning_content"] = "ignored", ["reasoning"] = "kept" }), Text("ok"), Finish("stop"), DoneLine];
        await ReconfigureAsync(""", "transformers": [["reasoning", {"field": "reasoning", "sendBack": false}]]""");

        var message = Assemble(await StreamAsync(Request()));

        message.Content[0].Thinking.ShouldBe("kept");
    }

    [Fact]
    public async Task Reasoning_ControlOption_AsksForThinkingTheWayTheServerWants()
    {
        var chat = await SendWithAsync("""[["reasoning", {"control": "effort"}]]""", Request(extra: ""","thinking":{"type":"enabled","budget_tokens":1024}"""));

        chat["reasoning_effort"]!.GetValue<string>().ShouldBe("low");
    }

    [Fact]
    public async Task EnhanceTool_HealsBrokenArgumentsWrongTypesAndNearMissNames()
    {
        // Given a model that double-encodes its arguments, quotes numbers and booleans, and misspells a parameter
        OpenAI.Chat = _ => [
            ToolCallStart(0, "call_1", "Bash", "\"{\\\"command\\\": \\\"make\\\", "),
            ToolCallArgs(0, "\\\"timeout\\\": \\\"5000\\\", \\\"run_in_background\\\": \\\"false\\\", \\\"filePath\\\": \\\"/src\\\"}\""),
            Finish("tool_calls"), DoneLine];
        await ReconfigureAsync(""", "transformers": ["enhancetool"]""");

        var events = await StreamAsync(Request(extra: BashTool));

        // Then Claude Code gets one whole, healed input
        events.Where(e => e.Delta?.Type == "input_json_delta").ShouldHaveSingleItem();
        var input = Assemble(events).Content.ShouldHaveSingleItem().Input!.Value;
        input.GetProperty("command").GetString().ShouldBe("make");
        input.GetProperty("timeout").GetInt32().ShouldBe(5000);
        input.GetProperty("run_in_background").GetBoolean().ShouldBeFalse();
        input.GetProperty("file_path").GetString().ShouldBe("/src");
        input.TryGetProperty("filePath", out _).ShouldBeFalse();
        Switchboard.Logs.All.ShouldContain("healed tool-call arguments for Bash");
    }

    [Fact]
    public async Task EnhanceTool_UnclosedArguments_AreClosed()
    {
        OpenAI.Chat = _ => [ToolCallStart(0, "call_1", "Bash", "{\"command\": \"ls"), Finish("tool_calls"), DoneLine];
        await ReconfigureAsync(""", "transformers": ["enhancetool"]""");

        var message = Assemble(await StreamAsync(Request(extra: BashTool)));

        message.Content.ShouldHaveSingleItem().Input!.Value.GetProperty("command").GetString().ShouldBe("ls");
    }

    [Fact]
    public async Task ToolUse_RequiresAToolCallAndTurnsTheExitCallIntoText()
    {
        OpenAI.Chat = _ => [ToolCallStart(0, "call_x", "ExitTool", "{\"response\": \"All done, "), ToolCallArgs(0, "nothing to run.\"}"), Finish("tool_calls"), DoneLine];
        await ReconfigureAsync(""", "transformers": ["tooluse"]""");

        var events = await StreamAsync(Request(extra: BashTool + ""","system":"Be useful." """));

        var chat = SentChat;
        chat["tool_choice"]!.GetValue<string>().ShouldBe("required");
        chat["tools"]!.AsArray().Select(t => t!["function"]!["name"]!.GetValue<string>()).ShouldBe(["Bash", "ExitTool"]);
        chat["messages"]![0]!["content"]!.GetValue<string>().ShouldStartWith("Be useful.\n\nTool mode is on");
        var message = Assemble(events);
        message.Content.ShouldHaveSingleItem().Text.ShouldBe("All done, nothing to run.");
        message.StopReason.ShouldBe("end_turn");
    }

    [Fact]
    public async Task ToolUse_LeavesAnExplicitToolChoiceAlone()
    {
        var chat = await SendWithAsync("""["tooluse"]""", Request(extra: BashTool + ""","tool_choice":{"type":"none"}"""));

        chat["tool_choice"]!.GetValue<string>().ShouldBe("none");
        chat["tools"]!.AsArray().Count.ShouldBe(1);
    }

    [Fact]
    public async Task StreamOptions_WithoutOptions_RemovesTheField()
    {
        var chat = await SendWithAsync("""["streamoptions"]""", Request());

        chat.ContainsKey("stream_options").ShouldBeFalse();
        chat["stream"]!.GetValue<bool>().ShouldBeTrue();
    }

    [Fact]
    public async Task StreamOptions_WithOptions_SetsThem()
    {
        var chat = await SendWithAsync("""[["streamoptions", {"include_usage": true, "continuous_usage_stats": true}]]""", Request());

        chat["stream_options"]!.ToJsonString().ShouldBe("""{"include_usage":true,"continuous_usage_stats":true}""");
    }

    [Fact]
    public async Task CustomParams_MergesFieldsAndNullRemovesOne()
    {
        var chat = await SendWithAsync("""[["customparams", {"provider": {"order": ["groq"], "allow_fallbacks": false}, "chat_template_kwargs": {"reasoning_effort": "high"}, "user": null}]]""",
            Request("qwen3", extra: ""","thinking":{"type":"adaptive"},"metadata":{"user_id":"u1"}"""), preset: """, "preset": "vllm" """);

        chat["provider"]!.ToJsonString().ShouldBe("""{"order":["groq"],"allow_fallbacks":false}""");
        // merged into what the preset set, not replacing it
        chat["chat_template_kwargs"]!.ToJsonString().ShouldBe("""{"enable_thinking":true,"thinking":true,"reasoning_effort":"high"}""");
        chat.ContainsKey("user").ShouldBeFalse();
    }

    [Fact]
    public async Task Headers_AreSentWithEnvironmentVariablesExpanded()
    {
        // Given a server in its own process, whose environment holds the variables (never this test process's)
        await using var server = await PublishedServer.StartBuiltAsync(OpenAI.Config("""
            , "apiKey": "$SWITCHBOARD_TEST_OPENAI_KEY",
              "transformers": [["headers", {"X-Project": "$SWITCHBOARD_TEST_HEADER_VALUE", "HTTP-Referer": "https://example.dev"}]]
            """), new Dictionary<string, string?> { ["SWITCHBOARD_TEST_HEADER_VALUE"] = "from-env", ["SWITCHBOARD_TEST_OPENAI_KEY"] = "sk-from-env" });

        await AnthropicWire.PostStreamAsync(server.Client, Request(), Cancel);

        var seen = OpenAI.Requests.Single();
        seen.Header("X-Project").ShouldBe("from-env");
        seen.Header("HTTP-Referer").ShouldBe("https://example.dev");
        // and the provider's apiKey is expanded the same way
        seen.Header("authorization").ShouldBe("Bearer sk-from-env");
    }

    [Fact]
    public async Task PerModel_TransformersApplyOnlyToTheModelsTheyName()
    {
        await ReconfigureAsync("""
            , "transformers": [["maxtoken", {"max_tokens": 800}]],
              "perModel": {
                "deepseek-chat": {"transformers": [["maxtoken", {"max_tokens": 300}]]},
                "qwen/*": {"transformers": [["sampling", {"temperature": 0.7}]]}
              }
            """);

        await StreamAsync(Request("deepseek-chat"));
        await StreamAsync(Request("qwen/qwen3-coder"));
        await StreamAsync(Request("other-model"));

        var sent = OpenAI.ChatRequests.ToList();
        (sent[0]["max_tokens"]!.GetValue<int>(), sent[0].ContainsKey("temperature")).ShouldBe((300, false));
        (sent[1]["max_tokens"]!.GetValue<int>(), sent[1]["temperature"]!.GetValue<double>()).ShouldBe((800, 0.7));
        (sent[2]["max_tokens"]!.GetValue<int>(), sent[2].ContainsKey("temperature")).ShouldBe((800, false));
    }
}
