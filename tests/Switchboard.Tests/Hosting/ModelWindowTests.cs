using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Shouldly;
using Switchboard.Tests.Infrastructure;

namespace Switchboard.Tests.Hosting;

/// <summary>
/// <c>GET /v1/models</c> gives each model's real window (<c>max_input_tokens</c>) and reply limit (<c>max_tokens</c>)
/// where it is known, so a client need not assume Claude's 1M: Ollama's from <c>/api/show</c> and the <c>num_ctx</c>
/// Switchboard sends, the list fields of OpenRouter, vLLM, Gemini and Anthropic, and a <c>perModel</c> override.
/// </summary>
public sealed class ModelWindowTests : IAsyncLifetime
{
    private const string AnthropicModels = """
        {"data":[{"type":"model","id":"claude-opus-4-5-20251101","display_name":"Claude Opus 4.5","created_at":"2025-11-01T00:00:00Z",
                  "max_input_tokens":200000,"max_tokens":64000}],"has_more":false}
        """;

    private const string OpenRouterModels = """
        {"data":[
          {"id":"qwen/qwen3-coder","name":"Qwen3 Coder","context_length":262144,"top_provider":{"context_length":262144,"max_completion_tokens":32768}},
          {"id":"served-by-vllm","object":"model","max_model_len":32768},
          {"id":"bare-model","object":"model"}
        ]}
        """;

    private ScriptedUpstream _anthropic = null!;
    private ScriptedOllama _ollama = null!;
    private ScriptedOpenAI _openai = null!;
    private ScriptedGemini _gemini = null!;
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _anthropic = await ScriptedUpstream.StartAsync((context, request) => request.Path == "/v1/models"
            ? AnthropicWire.WriteJsonAsync(context, AnthropicModels)
            : AnthropicWire.WriteJsonAsync(context, AnthropicWire.Error("not_found_error", "no such path"), 404));
        _ollama = await ScriptedOllama.StartAsync();
        _openai = await ScriptedOpenAI.StartAsync();
        _openai.ModelList = (OpenRouterModels, 200);
        _gemini = await ScriptedGemini.StartAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await _gemini.DisposeAsync();
        await _openai.DisposeAsync();
        await _ollama.DisposeAsync();
        await _anthropic.DisposeAsync();
    }

    private async Task<Dictionary<string, JsonElement>> ListAsync(string ollamaExtra = "", string openaiExtra = "")
    {
        await using var switchboard = await RunningSwitchboard.StartAsync($$"""
            {
              "defaultProvider": "anthropic",
              "providers": {
                "anthropic": { "type": "anthropic", "baseUrl": "{{_anthropic.BaseUrl}}", "apiKey": "sk-ant-test" },
                "ol": { "type": "ollama", "baseUrl": "{{_ollama.BaseUrl}}" {{ollamaExtra}} },
                "or": { "type": "openai", "baseUrl": "{{_openai.BaseUrl}}" {{openaiExtra}} },
                "gm": { "type": "gemini", "baseUrl": "{{_gemini.BaseUrl}}", "apiKey": "{{ScriptedGemini.Key}}" }
              }
            }
            """);
        using var response = await switchboard.Client.GetAsync("/v1/models?limit=1000", Cancel);
        var text = await response.Content.ReadAsStringAsync(Cancel);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, text);
        using var list = JsonDocument.Parse(text);
        return list.RootElement.GetProperty("data").EnumerateArray()
            .ToDictionary(model => model.GetProperty("id").GetString()!, model => model.Clone());
    }

    private static int? Field(JsonElement model, string name) =>
        model.TryGetProperty(name, out var value) ? value.GetInt32() : null;

    [Fact]
    public async Task Models_Ollama_ReportTheNumCtxSent_NeverMoreThanTheModelWasBuiltFor()
    {
        // Given qwen3:8b built for 40960 tokens, llama3.2:3b for 131072 and llava:7b for 4096, no numCtx configured
        var models = await ListAsync();

        // Then each reports what its requests get: the model's own length, capped at 65536
        Field(models["claude-via-ol:qwen3:8b"], "max_input_tokens").ShouldBe(40960);
        Field(models["claude-via-ol:llama3.2:3b"], "max_input_tokens").ShouldBe(65536);
        Field(models["claude-via-ol:llava:7b"], "max_input_tokens").ShouldBe(4096);
        models["claude-via-ol:qwen3:8b"].TryGetProperty("max_tokens", out _).ShouldBeFalse();
    }

    [Fact]
    public async Task Models_OllamaWithNumCtx_ReportTheSmallerOfNumCtxAndTheModelsLength()
    {
        var models = await ListAsync(ollamaExtra: """, "numCtx": 32768""");

        Field(models["claude-via-ol:qwen3:8b"], "max_input_tokens").ShouldBe(32768);
        Field(models["claude-via-ol:llama3.2:3b"], "max_input_tokens").ShouldBe(32768);
        Field(models["claude-via-ol:llava:7b"], "max_input_tokens").ShouldBe(4096);
    }

    [Fact]
    public async Task Models_ListFieldsOfOpenRouterVllmGeminiAndAnthropic_AreReported()
    {
        var models = await ListAsync();

        Field(models["claude-via-or:qwen/qwen3-coder"], "max_input_tokens").ShouldBe(262144);
        Field(models["claude-via-or:qwen/qwen3-coder"], "max_tokens").ShouldBe(32768);
        Field(models["claude-via-or:served-by-vllm"], "max_input_tokens").ShouldBe(32768);
        models["claude-via-or:bare-model"].TryGetProperty("max_input_tokens", out _).ShouldBeFalse();
        Field(models["claude-via-gm:gemini-2.5-pro"], "max_input_tokens").ShouldBe(1048576);
        Field(models["claude-via-gm:gemini-2.5-pro"], "max_tokens").ShouldBe(65536);
        Field(models["claude-opus-4-5-20251101"], "max_input_tokens").ShouldBe(200000);
        Field(models["claude-opus-4-5-20251101"], "max_tokens").ShouldBe(64000);
    }

    [Fact]
    public async Task Models_PerModelOverride_WinsOverWhatTheProviderReports_ExactOverPrefix()
    {
        var models = await ListAsync(
            ollamaExtra: """, "perModel": { "qwen3*": { "contextWindow": 20000 }, "qwen3:8b": { "maxOutputTokens": 4096 } }""",
            openaiExtra: """, "perModel": { "qwen/*": { "contextWindow": 100000 }, "qwen/qwen3-coder": { "contextWindow": 131072 } }""");

        Field(models["claude-via-ol:qwen3:8b"], "max_input_tokens").ShouldBe(20000);
        Field(models["claude-via-ol:qwen3:8b"], "max_tokens").ShouldBe(4096);
        Field(models["claude-via-or:qwen/qwen3-coder"], "max_input_tokens").ShouldBe(131072);
        Field(models["claude-via-or:qwen/qwen3-coder"], "max_tokens").ShouldBe(32768);
    }
}
