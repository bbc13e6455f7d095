using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using Shouldly;
using Switchboard.Anthropic;
using Switchboard.Config;
using Switchboard.Providers;
using Switchboard.Providers.OpenAI;
using Switchboard.Tests.Infrastructure;
using static Switchboard.Tests.Infrastructure.ScriptedOpenAI;

namespace Switchboard.Tests.Providers.OpenAI;

/// <summary>Each preset's address and quirks: token field, reasoning control, roles, cache marks, reasoning sent back.</summary>
public sealed class OpenAIPresetTests : OpenAITestBase
{
    private async Task<JsonObject> SendWithAsync(string preset, string body)
    {
        await ReconfigureAsync($$""", "preset": "{{preset}}", "apiKey": "provider-key" """);
        await StreamAsync(body);
        return SentChat;
    }

    [Theory]
    [InlineData("openai", "https://api.openai.com/v1/chat/completions")]
    [InlineData("openrouter", "https://openrouter.ai/api/v1/chat/completions")]
    [InlineData("nvidia", "https://integrate.api.nvidia.com/v1/chat/completions")]
    [InlineData("groq", "https://api.groq.com/openai/v1/chat/completions")]
    [InlineData("deepseek", "https://api.deepseek.com/chat/completions")]
    [InlineData("together", "https://api.together.xyz/v1/chat/completions")]
    [InlineData("vllm", "http://127.0.0.1:8000/v1/chat/completions")]
    [InlineData("llamacpp", "http://127.0.0.1:8080/v1/chat/completions")]
    [InlineData("lmstudio", "http://127.0.0.1:1234/v1/chat/completions")]
    public async Task Preset_AloneWithAKey_IsAWholeProviderEntry(string preset, string url)
    {
        // Given an entry that names only its preset and key
        var config = OpenAIProviderOptions.PresetKey.With(new ProviderConfig { Type = "openai", ApiKey = "the-key" }, preset);
        var handler = new RecordingHandler();
        using var upstream = new UpstreamClient(handler);
        var factory = new OpenAIProviderFactory(upstream, NullLoggerFactory.Instance);
        factory.Validate(config).ShouldBeEmpty();

        // When a request goes through it
        var provider = factory.Create(preset, config);
        var body = Encoding.UTF8.GetBytes("""{"model":"m","max_tokens":10,"stream":true,"messages":[{"role":"user","content":"hi"}]}""");
        var request = JsonSerializer.Deserialize(body, AnthropicJson.Default.MessagesRequest)!;
        var call = new ProviderCall { Request = request, OriginalRequest = request, OriginalBody = body, ClientHeaders = [] };
        using var reply = (EventStreamReply)await provider.SendMessagesAsync(call, Cancel);
        var events = new List<StreamEvent>();
        await foreach (var e in reply.Events.WithCancellation(Cancel)) events.Add(e);

        // Then it went to the preset's chat-completions URL with the key as a Bearer token
        var sent = handler.Requests.ShouldHaveSingleItem();
        sent.RequestUri!.ToString().ShouldBe(url);
        sent.Headers.Authorization!.ToString().ShouldBe("Bearer the-key");
        events[^1].Type.ShouldBe("message_stop");
    }

    [Theory]
    [InlineData("openai", "gpt-5", """{"type":"adaptive"}""", """{"reasoning_effort":"high"}""")]
    [InlineData("openai", "o3", """{"type":"enabled","budget_tokens":1024}""", """{"reasoning_effort":"low"}""")]
    [InlineData("openai", "gpt-4.1", """{"type":"adaptive"}""", "{}")]
    [InlineData("openrouter", "anthropic/claude-sonnet-4", """{"type":"enabled","budget_tokens":5000}""", """{"reasoning":{"max_tokens":5000}}""")]
    [InlineData("openrouter", "qwen/qwen3-coder", """{"type":"adaptive"}""", """{"reasoning":{"effort":"high"}}""")]
    [InlineData("groq", "openai/gpt-oss-120b", """{"type":"enabled","budget_tokens":8000}""", """{"reasoning_effort":"medium"}""")]
    [InlineData("groq", "llama-3.3-70b-versatile", """{"type":"enabled","budget_tokens":8000}""", "{}")]
    [InlineData("together", "openai/gpt-oss-20b", """{"type":"enabled","budget_tokens":30000}""", """{"reasoning_effort":"high"}""")]
    [InlineData("nvidia", "deepseek-ai/deepseek-v3.1", """{"type":"adaptive"}""", """{"chat_template_kwargs":{"enable_thinking":true,"thinking":true}}""")]
    [InlineData("vllm", "Qwen/Qwen3-32B", """{"type":"disabled"}""", """{"chat_template_kwargs":{"enable_thinking":false,"thinking":false}}""")]
    [InlineData("llamacpp", "qwen3", """{"type":"enabled","budget_tokens":4096}""", """{"chat_template_kwargs":{"enable_thinking":true,"thinking":true}}""")]
    [InlineData("lmstudio", "openai/gpt-oss-20b", """{"type":"adaptive"}""", """{"reasoning_effort":"high"}""")]
    [InlineData("deepseek", "deepseek-reasoner", """{"type":"adaptive"}""", "{}")]
    public async Task Thinking_BecomesThePresetsReasoningControl(string preset, string model, string thinking, string expected)
    {
        var chat = await SendWithAsync(preset, Request(model, extra: $$""","thinking":{{thinking}},"output_config":{"effort":"high"}"""));

        var control = new JsonObject();
        foreach (var field in (string[])["reasoning_effort", "reasoning", "chat_template_kwargs"])
            if (chat[field] is { } value) control[field] = value.DeepClone();
        control.ToJsonString().ShouldBe(expected);
    }

    [Fact]
    public async Task OpenAI_ReasoningModel_GetsDeveloperMessagesMaxCompletionTokensAndNoSampling()
    {
        var chat = await SendWithAsync("openai", Request("gpt-5-mini", extra: ""","system":"Be brief.","temperature":0.7,"top_p":0.9,"stop_sequences":["X"]"""));

        chat["messages"]![0]!["role"]!.GetValue<string>().ShouldBe("developer");
        chat["max_completion_tokens"]!.GetValue<int>().ShouldBe(1000);
        foreach (var field in (string[])["max_tokens", "temperature", "top_p", "stop"]) chat.ContainsKey(field).ShouldBeFalse(field);
    }

    [Fact]
    public async Task OpenAI_ChatModel_KeepsSystemMessagesAndSampling()
    {
        var chat = await SendWithAsync("openai", Request("gpt-4.1", extra: ""","system":"Be brief.","temperature":0.7"""));

        chat["messages"]![0]!["role"]!.GetValue<string>().ShouldBe("system");
        chat["temperature"]!.GetValue<double>().ShouldBe(0.7);
        chat["max_completion_tokens"]!.GetValue<int>().ShouldBe(1000);
        chat.ContainsKey("max_tokens").ShouldBeFalse();
    }

    [Fact]
    public async Task OpenRouter_ForwardsCacheMarksTopKAndItsAppHeader()
    {
        var body = Request("anthropic/claude-sonnet-4", extra: ""","top_k":40,"system":[{"type":"text","text":"Long stable prompt.","cache_control":{"type":"ephemeral"}}]""",
            messages: """[{"role":"user","content":[{"type":"text","text":"question","cache_control":{"type":"ephemeral","ttl":"1h"}}]}]""");

        var chat = await SendWithAsync("openrouter", body);

        chat["messages"]![0]!["content"]![0]!["cache_control"]!["type"]!.GetValue<string>().ShouldBe("ephemeral");
        chat["messages"]![1]!["content"]![0]!["cache_control"]!["ttl"]!.GetValue<string>().ShouldBe("1h");
        chat["top_k"]!.GetValue<int>().ShouldBe(40);
        OpenAI.Requests.Single().Header("X-Title").ShouldBe("Switchboard");
    }

    [Fact]
    public async Task OpenRouter_ModelsThatCacheOnTheirOwn_GetPlainStrings()
    {
        var chat = await SendWithAsync("openrouter", Request("openai/gpt-4.1",
            messages: """[{"role":"user","content":[{"type":"text","text":"question","cache_control":{"type":"ephemeral"}}]}]"""));

        chat["messages"]![0]!["content"]!.GetValue<string>().ShouldBe("question");
    }

    [Fact]
    public async Task DeepSeek_GetsReasoningBackOnAssistantTurnsThatCalledTools()
    {
        var body = Request("deepseek-reasoner", messages: """
            [{"role":"user","content":"what day is it?"},
             {"role":"assistant","content":[{"type":"thinking","thinking":"I should ask the clock.","signature":"switchboard-synthesized:openai-test"},
                {"type":"tool_use","id":"call_1","name":"Bash","input":{"command":"date"}}]},
             {"role":"user","content":[{"type":"tool_result","tool_use_id":"call_1","content":"Tue"}]},
             {"role":"assistant","content":[{"type":"thinking","thinking":"No tool now.","signature":"s"},{"type":"text","text":"Tuesday."}]},
             {"role":"user","content":"thanks"}]
            """);

        var messages = (await SendWithAsync("deepseek", body))["messages"]!.AsArray();

        messages[1]!["reasoning_content"]!.GetValue<string>().ShouldBe("I should ask the clock.");
        messages[3]!.AsObject().ContainsKey("reasoning_content").ShouldBeFalse();
    }

    [Fact]
    public async Task LocalServers_FoldLaterSystemTurnsIntoTheUserTurn()
    {
        // Qwen's and Mistral's chat templates refuse a system message anywhere but first
        var body = Request("qwen3", extra: ""","system":"You code." """, messages: """
            [{"role":"user","content":"hi"},{"role":"system","content":"Today is Tuesday."},{"role":"assistant","content":"hello"},{"role":"user","content":"bye"}]
            """);

        var messages = (await SendWithAsync("vllm", body))["messages"]!.AsArray();

        messages.Select(m => m!["role"]!.GetValue<string>()).ShouldBe(["system", "user", "assistant", "user"]);
        messages[1]!["content"]!.GetValue<string>().ShouldBe("hi\n\n<system-reminder>\nToday is Tuesday.\n</system-reminder>");
    }

    [Fact]
    public async Task CloudPreset_KeyVariableEmpty_Is401SayingWhatToSet()
    {
        await ReconfigureAsync(""", "preset": "openrouter", "apiKey": "$SWITCHBOARD_TEST_UNSET_KEY_VARIABLE" """);

        using var response = await PostAsync(Request());

        (await response.ShouldBeAnthropicErrorAsync(HttpStatusCode.Unauthorized, "authentication_error"))
            .ShouldContain("\"$SWITCHBOARD_TEST_UNSET_KEY_VARIABLE\", which is empty in Switchboard's environment");
        OpenAI.ChatRequests.ShouldBeEmpty();
    }

    /// <summary>Answers every request with a short SSE reply and keeps what it was sent.</summary>
    private sealed class RecordingHandler : HttpMessageHandler
    {
        public List<HttpRequestMessage> Requests { get; } = [];

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Requests.Add(request);
            var sse = $"data: {Text("ok")}\n\ndata: {Finish("stop")}\n\ndata: [DONE]\n\n";
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK)
            {
                Content = new StringContent(sse, Encoding.UTF8, "text/event-stream"),
            });
        }
    }
}
