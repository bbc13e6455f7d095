using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Shouldly;
using Switchboard.Anthropic;
using Switchboard.Tests.Infrastructure;

namespace Switchboard.Tests.Providers.Ollama;

/// <summary>Anthropic Messages ↔ Ollama /api/chat, through the real server, against a scripted Ollama.</summary>
public sealed class OllamaNativeTests : IAsyncLifetime
{
    private ScriptedOllama _ollama = null!;
    private RunningSwitchboard _switchboard = null!;
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _ollama = await ScriptedOllama.StartAsync();
        _switchboard = await RunningSwitchboard.StartAsync(_ollama.Config());
    }

    public async ValueTask DisposeAsync()
    {
        await _switchboard.DisposeAsync();
        await _ollama.DisposeAsync();
    }

    private Task<List<StreamEvent>> StreamAsync(string body) => AnthropicWire.PostStreamAsync(_switchboard.Client, body, Cancel);

    private static MessageResponse Assemble(IEnumerable<StreamEvent> events) => AnthropicWire.Assemble(events);

    [Fact]
    public async Task Messages_PlainStreamingTurn_TranslatesRequestAndReply()
    {
        _ollama.Chat = _ => [ScriptedOllama.Text("Hello "), ScriptedOllama.Text("from qwen."), ScriptedOllama.Done(prompt: 512, eval: 7)];
        var body = """
            {"model":"qwen3:8b","max_tokens":900,"stream":true,"temperature":0.2,"top_p":0.8,"top_k":30,"stop_sequences":["END"],
             "system":[{"type":"text","text":"You are terse."},{"type":"text","text":"Be kind."}],
             "messages":[{"role":"user","content":"hi"},{"role":"assistant","content":"hey"},
                         {"role":"system","content":[{"type":"text","text":"Mid-conversation note."}]},
                         {"role":"user","content":[{"type":"text","text":"again"}]}]}
            """;

        var events = await StreamAsync(body);

        // Then Ollama got a native chat request
        var chat = _ollama.ChatRequests.ShouldHaveSingleItem();
        chat["model"]!.GetValue<string>().ShouldBe("qwen3:8b");
        chat["stream"]!.GetValue<bool>().ShouldBeTrue();
        var messages = chat["messages"]!.AsArray().Select(m => (m!["role"]!.GetValue<string>(), m["content"]!.GetValue<string>())).ToList();
        messages.ShouldBe([("system", "You are terse.\n\nBe kind."), ("user", "hi"), ("assistant", "hey"), ("system", "Mid-conversation note."), ("user", "again")]);
        var options = chat["options"]!;
        options["num_ctx"]!.GetValue<int>().ShouldBe(40960);
        options["num_predict"]!.GetValue<int>().ShouldBe(900);
        options["temperature"]!.GetValue<double>().ShouldBe(0.2);
        options["top_p"]!.GetValue<double>().ShouldBe(0.8);
        options["top_k"]!.GetValue<int>().ShouldBe(30);
        options["stop"]![0]!.GetValue<string>().ShouldBe("END");

        // And the reply is a well-formed Anthropic stream
        events.Select(e => e.Type).ShouldBe(["message_start", "content_block_start", "content_block_delta", "content_block_delta", "content_block_stop", "message_delta", "message_stop"]);
        events[0].Message!.Model.ShouldBe("qwen3:8b");
        events[0].Message!.Usage!.InputTokens.ShouldNotBeNull();
        var message = Assemble(events);
        message.Content.ShouldHaveSingleItem().Text.ShouldBe("Hello from qwen.");
        message.StopReason.ShouldBe("end_turn");
        message.Usage!.InputTokens.ShouldBe(512);
        message.Usage.OutputTokens.ShouldBe(7);
    }

    [Fact]
    public async Task Messages_NonStreaming_GetsOneCompleteMessage()
    {
        _ollama.Chat = _ => [ScriptedOllama.Text("whole "), ScriptedOllama.Text("answer"), ScriptedOllama.Done(reason: "length")];

        using var response = await _switchboard.Client.PostAsync("/v1/messages", AnthropicWire.Json(AnthropicWire.Request("qwen3:8b", stream: false)), Cancel);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var message = JsonSerializer.Deserialize(await response.Content.ReadAsStringAsync(Cancel), AnthropicJson.Default.MessageResponse)!;
        message.Content.ShouldHaveSingleItem().Text.ShouldBe("whole answer");
        message.StopReason.ShouldBe("max_tokens");
        _ollama.ChatRequests.ShouldHaveSingleItem()["stream"]!.GetValue<bool>().ShouldBeFalse();
    }

    [Fact]
    public async Task Messages_ToolHistory_BecomesToolCallsAndToolMessages()
    {
        _ollama.Chat = _ => [ScriptedOllama.Text("done"), ScriptedOllama.Done()];
        var body = """
            {"model":"qwen3:8b","max_tokens":100,"stream":true,
             "tools":[{"name":"Bash","description":"run","input_schema":{"type":"object","properties":{"command":{"type":"string"}}}},
                      {"type":"web_search_20250305","name":"web_search"}],
             "messages":[{"role":"user","content":"list files"},
                         {"role":"assistant","content":[{"type":"text","text":"Running."},{"type":"tool_use","id":"toolu_1","name":"Bash","input":{"command":"ls"}}]},
                         {"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_1","is_error":true,"content":[{"type":"text","text":"permission denied"}]},
                                                   {"type":"text","text":"try again"}]}]}
            """;

        await StreamAsync(body);

        var chat = _ollama.ChatRequests.ShouldHaveSingleItem();
        var tools = chat["tools"]!.AsArray();
        tools.Count.ShouldBe(1); // the server tool has no schema and only Anthropic can run it
        tools[0]!["function"]!["name"]!.GetValue<string>().ShouldBe("Bash");
        tools[0]!["function"]!["parameters"]!["type"]!.GetValue<string>().ShouldBe("object");
        var messages = chat["messages"]!.AsArray();
        var assistant = messages[1]!;
        assistant["content"]!.GetValue<string>().ShouldBe("Running.");
        var call = assistant["tool_calls"]![0]!;
        call["function"]!["name"]!.GetValue<string>().ShouldBe("Bash");
        call["function"]!["arguments"]!["command"]!.GetValue<string>().ShouldBe("ls");
        var result = messages[2]!;
        result["role"]!.GetValue<string>().ShouldBe("tool");
        result["tool_name"]!.GetValue<string>().ShouldBe("Bash");
        result["content"]!.GetValue<string>().ShouldBe("[tool error] permission denied");
        messages[3]!["role"]!.GetValue<string>().ShouldBe("user");
        messages[3]!["content"]!.GetValue<string>().ShouldBe("try again");
    }

    [Fact]
    public async Task Messages_ToolCallReply_BecomesToolUseBlocksWithHealedArguments()
    {
        // Given a model that calls two tools: one with proper object arguments and an id, one with a JSON string
        _ollama.Chat = _ => [
            ScriptedOllama.Text("Let me look."),
            ScriptedOllama.ToolCall("Read", """{"file_path":"/tmp/a.txt"}""", id: "call_abc"),
            ScriptedOllama.ToolCall("Bash", "\"{\\\"command\\\": \\\"ls -la\\\"}\""),
            ScriptedOllama.Done()];

        var events = await StreamAsync(AnthropicWire.Request("qwen3:8b"));

        var message = Assemble(events);
        message.StopReason.ShouldBe("tool_use");
        message.Content.Select(b => b.Type).ShouldBe(["text", "tool_use", "tool_use"]);
        message.Content[1].Id.ShouldBe("call_abc");
        message.Content[1].Name.ShouldBe("Read");
        message.Content[1].Input!.Value.GetProperty("file_path").GetString().ShouldBe("/tmp/a.txt");
        message.Content[2].Id.ShouldStartWith("toolu_");
        message.Content[2].Input!.Value.GetProperty("command").GetString().ShouldBe("ls -la");
        // Block indices are distinct and each block is closed before the next opens
        events.Where(e => e.Type == "content_block_start").Select(e => e.Index).ShouldBe([0, 1, 2]);
        _switchboard.Logs.All.ShouldContain("healed tool-call arguments for Bash");
    }

    [Fact]
    public async Task Messages_ThinkingModel_GetsThinkAndThinkingBlocksCarryASignature()
    {
        _ollama.Chat = _ => [ScriptedOllama.Thinking("Considering "), ScriptedOllama.Thinking("options."), ScriptedOllama.Text("Answer."), ScriptedOllama.Done()];
        var body = """{"model":"qwen3:8b","max_tokens":100,"stream":true,"thinking":{"type":"adaptive"},"messages":[{"role":"user","content":"think"}]}""";

        var events = await StreamAsync(body);

        _ollama.ChatRequests.ShouldHaveSingleItem()["think"]!.GetValue<bool>().ShouldBeTrue();
        var message = Assemble(events);
        message.Content.Select(b => b.Type).ShouldBe(["thinking", "text"]);
        message.Content[0].Thinking.ShouldBe("Considering options.");
        message.Content[0].Signature.ShouldBe(SynthesizedSignature.For("ollama-local"));
        message.Content[1].Text.ShouldBe("Answer.");
    }

    [Fact]
    public async Task Messages_AdaptiveThinkingOnModelThatCannotThink_DropsTheField()
    {
        _ollama.Chat = _ => [ScriptedOllama.Text("ok", "llama3.2:3b"), ScriptedOllama.Done()];
        var body = """{"model":"llama3.2:3b","max_tokens":100,"stream":true,"thinking":{"type":"adaptive"},"messages":[{"role":"user","content":"x"}]}""";

        await StreamAsync(body);

        var chat = _ollama.ChatRequests.ShouldHaveSingleItem();
        chat.ContainsKey("think").ShouldBeFalse();
        chat["options"]!["num_ctx"]!.GetValue<int>().ShouldBe(65536); // 131072 capped
    }

    [Fact]
    public async Task Messages_Image_GoesToImages()
    {
        _ollama.Chat = _ => [ScriptedOllama.Text("a cat"), ScriptedOllama.Done()];
        var body = """
            {"model":"llava:7b","max_tokens":100,"stream":true,"messages":[{"role":"user","content":[
              {"type":"image","source":{"type":"base64","media_type":"image/png","data":"iVBORw0KGgo="}},{"type":"text","text":"what is it?"}]}]}
            """;

        await StreamAsync(body);

        var user = _ollama.ChatRequests.ShouldHaveSingleItem()["messages"]![0]!;
        user["images"]![0]!.GetValue<string>().ShouldBe("iVBORw0KGgo=");
        user["content"]!.GetValue<string>().ShouldBe("what is it?");
    }

    [Fact]
    public async Task Messages_ModelNotInstalled_Is404SayingHowToPullIt()
    {
        using var response = await _switchboard.Client.PostAsync("/v1/messages", AnthropicWire.Json(AnthropicWire.Request("mistral:7b")), Cancel);

        (await response.ShouldBeAnthropicErrorAsync(HttpStatusCode.NotFound, "not_found_error"))
            .ShouldStartWith("Model mistral:7b is not installed in ollama-local: run `ollama pull mistral:7b`");
    }

    [Fact]
    public async Task Messages_ErrorLineMidStream_BecomesAnErrorEvent()
    {
        _ollama.Chat = _ => [ScriptedOllama.Text("partial"), """{"error":"an error was encountered while running the model: out of memory"}"""];

        var events = await StreamAsync(AnthropicWire.Request("qwen3:8b"));

        events[^1].Type.ShouldBe("error");
        events[^1].Error!.Message.ShouldContain("out of memory");
    }

    [Theory]
    [InlineData(400, "the input length exceeds the context length")]
    [InlineData(500, "input exceeds maximum context length")]
    public async Task Messages_PromptLargerThanTheWindow_IsPromptTooLongSoClaudeCodeCompacts(int status, string said)
    {
        _ollama.ChatFailure = (status, said);

        using var response = await _switchboard.Client.PostAsync("/v1/messages", AnthropicWire.Json(AnthropicWire.Request("qwen3:8b")), Cancel);

        (await response.ShouldBeAnthropicErrorAsync(HttpStatusCode.BadRequest, "invalid_request_error"))
            .ShouldBe($"prompt is too long: Ollama (ollama-local) answered {status}: {said}");
        _ollama.ChatRequests.Count().ShouldBe(1);
    }

    [Fact]
    public async Task Messages_OverflowLineMidStream_IsAPromptTooLongErrorEvent()
    {
        _ollama.Chat = _ => [ScriptedOllama.Text("partial"), """{"error":"input exceeds maximum context length"}"""];

        var events = await StreamAsync(AnthropicWire.Request("qwen3:8b"));

        events[^1].Type.ShouldBe("error");
        events[^1].Error!.Type.ShouldBe("invalid_request_error");
        events[^1].Error!.Message.ShouldBe("prompt is too long: Ollama (ollama-local) failed mid-reply: input exceeds maximum context length");
    }

    [Fact]
    public async Task Messages_ClientCredentials_NeverReachOllama()
    {
        _ollama.Chat = _ => [ScriptedOllama.Text("ok"), ScriptedOllama.Done()];
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/messages") { Content = AnthropicWire.Json(AnthropicWire.Request("qwen3:8b")) };
        request.Headers.TryAddWithoutValidation("x-api-key", "sk-ant-api03-SECRET");
        request.Headers.TryAddWithoutValidation("authorization", "Bearer sk-ant-oat01-SECRET");

        using var response = await _switchboard.Client.SendAsync(request, Cancel);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        _ollama.Requests.ShouldNotBeEmpty();
        foreach (var seen in _ollama.Requests)
        {
            seen.Header("x-api-key").ShouldBeNull();
            seen.Header("authorization").ShouldBeNull();
            seen.BodyText.ShouldNotContain("SECRET");
        }
    }

    [Fact]
    public async Task Models_ListsInstalledOllamaModels()
    {
        using var models = JsonDocument.Parse(await _switchboard.Client.GetStringAsync("/v1/models?limit=1000", Cancel));

        models.RootElement.GetProperty("data").EnumerateArray().Select(m => m.GetProperty("id").GetString())
            .ShouldBe(["claude-via-ollama-local:qwen3:8b", "claude-via-ollama-local:llama3.2:3b", "claude-via-ollama-local:llava:7b"], ignoreOrder: true);
    }
}
