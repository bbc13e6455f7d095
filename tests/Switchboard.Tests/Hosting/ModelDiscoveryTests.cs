using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Shouldly;
using Switchboard.Tests.Infrastructure;

namespace Switchboard.Tests.Hosting;

/// <summary>
/// <c>GET /v1/models</c> as Claude Code's gateway discovery uses it: Anthropic's own list when a credential is there,
/// every installed Ollama model, ids that survive Claude Code's "claude|anthropic" filter and route back.
/// </summary>
public sealed class ModelDiscoveryTests : IAsyncLifetime
{
    private const string AnthropicModels = """
        {"data":[
          {"type":"model","id":"claude-opus-4-5-20251101","display_name":"Claude Opus 4.5","created_at":"2025-11-01T00:00:00Z"},
          {"type":"model","id":"claude-haiku-4-5-20251001","display_name":"Claude Haiku 4.5","created_at":"2025-10-01T00:00:00Z"}
        ],"has_more":false,"first_id":"claude-opus-4-5-20251101","last_id":"claude-haiku-4-5-20251001"}
        """;

    private ScriptedUpstream _anthropic = null!;
    private ScriptedOllama _ollama = null!;
    private RunningSwitchboard _switchboard = null!;
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _anthropic = await ScriptedUpstream.StartAsync(AnswerAsAnthropic);
        _ollama = await ScriptedOllama.StartAsync();
        _switchboard = await RunningSwitchboard.StartAsync(Config());
    }

    public async ValueTask DisposeAsync()
    {
        await _switchboard.DisposeAsync();
        await _ollama.DisposeAsync();
        await _anthropic.DisposeAsync();
    }

    private string Config(string topLevel = "") => $$"""
        {
          {{topLevel}}
          "defaultProvider": "anthropic",
          "providers": {
            "anthropic": { "type": "anthropic", "baseUrl": "{{_anthropic.BaseUrl}}" },
            "ollama-local": { "type": "ollama", "baseUrl": "{{_ollama.BaseUrl}}" }
          }
        }
        """;

    private static Task AnswerAsAnthropic(HttpContext context, RecordedRequest request) => request.Path switch
    {
        "/v1/models" => AnthropicWire.WriteJsonAsync(context, AnthropicModels),
        "/v1/messages" => AnthropicWire.WriteJsonAsync(context,
            AnthropicWire.TextMessage(JsonNode.Parse(request.Body)!["model"]!.GetValue<string>(), "from anthropic")),
        _ => AnthropicWire.WriteJsonAsync(context, AnthropicWire.Error("not_found_error", "no such path"), 404),
    };

    private async Task<List<JsonElement>> ListAsync(string? bearer = null, RunningSwitchboard? switchboard = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/models?limit=1000");
        if (bearer is not null) request.Headers.TryAddWithoutValidation("authorization", "Bearer " + bearer);
        request.Headers.TryAddWithoutValidation("anthropic-version", "2023-06-01");
        using var response = await (switchboard ?? _switchboard).Client.SendAsync(request, Cancel);
        var text = await response.Content.ReadAsStringAsync(Cancel);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, text);
        using var list = JsonDocument.Parse(text);
        return list.RootElement.GetProperty("data").EnumerateArray().Select(model => model.Clone()).ToList();
    }

    private static string Id(JsonElement model) => model.GetProperty("id").GetString()!;

    [Fact]
    public async Task Models_WithCredential_ListsAnthropicAndOllamaModels_AllSurvivingClaudeCodesFilter()
    {
        var models = await ListAsync(bearer: "sk-ant-oat01-SUBSCRIPTION");

        models.Select(Id).ShouldBe([
            "claude-opus-4-5-20251101", "claude-haiku-4-5-20251001",
            "claude-via-ollama-local:qwen3:8b", "claude-via-ollama-local:llama3.2:3b", "claude-via-ollama-local:llava:7b",
        ], ignoreOrder: true);
        // Claude Code keeps only ids matching /(claude|anthropic)/i.
        models.ShouldAllBe(model => System.Text.RegularExpressions.Regex.IsMatch(Id(model), "(?i)(claude|anthropic)"));
        models.Single(model => Id(model) == "claude-opus-4-5-20251101").GetProperty("display_name").GetString().ShouldBe("Claude Opus 4.5");
        models.Single(model => Id(model) == "claude-via-ollama-local:qwen3:8b").GetProperty("display_name").GetString()
            .ShouldBe("qwen3:8b (ollama-local)");

        var asked = _anthropic.Requests.Single(request => request.Path == "/v1/models");
        asked.Query.ShouldBe("?limit=1000");
        asked.Header("authorization").ShouldBe("Bearer sk-ant-oat01-SUBSCRIPTION");
        asked.Header("anthropic-version").ShouldBe("2023-06-01");
        _ollama.Requests.ShouldAllBe(request => request.Header("authorization") == null && request.Header("x-api-key") == null);
    }

    [Fact]
    public async Task Models_WithoutCredential_DoesNotAskAnthropic()
    {
        var models = await ListAsync();

        models.Select(Id).ShouldBe(
            ["claude-via-ollama-local:qwen3:8b", "claude-via-ollama-local:llama3.2:3b", "claude-via-ollama-local:llava:7b"],
            ignoreOrder: true);
        _anthropic.Requests.ShouldBeEmpty();
    }

    [Fact]
    public async Task Models_AnthropicRefuses_ListsTheRestAndLogsWhy()
    {
        _anthropic.Script((context, _) =>
            AnthropicWire.WriteJsonAsync(context, AnthropicWire.Error("authentication_error", "invalid x-api-key"), 401));

        var models = await ListAsync(bearer: "sk-ant-oat01-EXPIRED");

        models.Select(Id).ShouldBe(
            ["claude-via-ollama-local:qwen3:8b", "claude-via-ollama-local:llama3.2:3b", "claude-via-ollama-local:llava:7b"],
            ignoreOrder: true);
        _switchboard.Logs.All.ShouldContain("Model list of provider anthropic left out: Provider 'anthropic' would not list its models (HTTP 401)");
        _switchboard.Logs.All.ShouldNotContain("EXPIRED");
    }

    [Fact]
    public async Task Models_AnthropicKeepsRefusing_IsWarnedOnce_AndAgainOnlyAfterItListedInBetween()
    {
        var refusing = true;
        _anthropic.Script((context, request) => refusing
            ? AnthropicWire.WriteJsonAsync(context, AnthropicWire.Error("authentication_error", "invalid x-api-key"), 401)
            : AnswerAsAnthropic(context, request));
        const string warning = "Model list of provider anthropic left out";
        int Warnings() => _switchboard.Logs.Lines.Count(line => line.StartsWith("Warning: " + warning, StringComparison.Ordinal));

        for (var i = 0; i < 3; i++) await ListAsync(bearer: "sk-ant-oat01-EXPIRED");
        Warnings().ShouldBe(1);
        _switchboard.Logs.Lines.Count(line => line.Contains("still left out", StringComparison.Ordinal)).ShouldBe(2);

        refusing = false;
        (await ListAsync(bearer: "sk-ant-oat01-SUBSCRIPTION")).Select(Id).ShouldContain("claude-opus-4-5-20251101");
        refusing = true;
        await ListAsync(bearer: "sk-ant-oat01-EXPIRED");
        Warnings().ShouldBe(2);
    }

    [Fact]
    public async Task Models_AnAnthropicCompatibleListWithoutDisplayNames_IsListedByIds()
    {
        _anthropic.Script((context, _) => AnthropicWire.WriteJsonAsync(context,
            """{"data":[{"id":"claude-glm-4.6"},{"id":"claude-kimi-k2","display_name":"Kimi K2"},{"display_name":"no id"},null]}"""));

        var models = await ListAsync(bearer: "sk-ant-oat01-SUBSCRIPTION");

        models.Single(model => Id(model) == "claude-glm-4.6").GetProperty("display_name").GetString().ShouldBe("claude-glm-4.6 (anthropic)");
        models.Single(model => Id(model) == "claude-kimi-k2").GetProperty("display_name").GetString().ShouldBe("Kimi K2");
        models.Count.ShouldBe(2 + 3, "the two listed models and Ollama's three; the entry without an id is skipped");
        _switchboard.Logs.All.ShouldNotContain("left out");
    }

    [Fact]
    public async Task Models_AListWhoseBodyBreaksOff_IsLeftOutWithAWarning_TheRestListed()
    {
        _anthropic.Script(async (context, _) =>
        {
            context.Response.ContentType = "application/json";
            context.Response.ContentLength = 4096;
            await context.Response.WriteAsync("""{"data":[{"id":"claude-""", Cancel);
            await context.Response.Body.FlushAsync(Cancel);
            context.Abort();
        });

        var models = await ListAsync(bearer: "sk-ant-oat01-SUBSCRIPTION");

        models.Select(Id).ShouldBe(
            ["claude-via-ollama-local:qwen3:8b", "claude-via-ollama-local:llama3.2:3b", "claude-via-ollama-local:llava:7b"],
            ignoreOrder: true);
        _switchboard.Logs.All.ShouldContain("Model list of provider anthropic left out");
    }

    [Fact]
    public async Task Models_OllamaNotAnswering_StillListsAnthropicModels()
    {
        var stalled = new TaskCompletionSource();
        await using var silentOllama = await ScriptedUpstream.StartAsync((context, _) => stalled.Task.WaitAsync(context.RequestAborted));
        await using var switchboard = await RunningSwitchboard.StartAsync(Config().Replace(_ollama.BaseUrl, silentOllama.BaseUrl));

        var models = await ListAsync(bearer: "sk-ant-oat01-SUBSCRIPTION", switchboard);

        models.Select(Id).ShouldBe(["claude-opus-4-5-20251101", "claude-haiku-4-5-20251001"]);
        silentOllama.Requests.ShouldContain(request => request.Path == "/api/tags");
    }

    [Fact]
    public async Task DiscoveredIds_RouteBackToTheirProviderAndModel()
    {
        var models = await ListAsync(bearer: "sk-ant-oat01-SUBSCRIPTION");

        foreach (var id in models.Select(Id))
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/messages")
            {
                Content = AnthropicWire.Json(AnthropicWire.Request(id, stream: false)),
            };
            request.Headers.TryAddWithoutValidation("authorization", "Bearer sk-ant-oat01-SUBSCRIPTION");
            using var response = await _switchboard.Client.SendAsync(request, Cancel);
            response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync(Cancel));
        }

        _anthropic.Requests.Where(request => request.Path == "/v1/messages")
            .Select(request => JsonNode.Parse(request.Body)!["model"]!.GetValue<string>())
            .ShouldBe(["claude-opus-4-5-20251101", "claude-haiku-4-5-20251001"], ignoreOrder: true);
        _ollama.ChatRequests.Select(chat => chat["model"]!.GetValue<string>())
            .ShouldBe(["qwen3:8b", "llama3.2:3b", "llava:7b"], ignoreOrder: true);
    }

    [Fact]
    public async Task Models_WithClientKeyConfigured_RequiresItAndNeverForwardsIt()
    {
        await using var guarded = await RunningSwitchboard.StartAsync(Config("\"apiKey\": \"switchboard-secret\","));

        using var refused = await guarded.Client.GetAsync("/v1/models", Cancel);
        await ErrorAssertions.ShouldBeAnthropicErrorAsync(refused, HttpStatusCode.Unauthorized, "authentication_error");

        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/models?limit=1000");
        request.Headers.TryAddWithoutValidation("x-switchboard-key", "switchboard-secret");
        request.Headers.TryAddWithoutValidation("authorization", "Bearer sk-ant-oat01-SUBSCRIPTION");
        using var allowed = await guarded.Client.SendAsync(request, Cancel);

        allowed.StatusCode.ShouldBe(HttpStatusCode.OK);
        var asked = _anthropic.Requests.Single(seen => seen.Path == "/v1/models");
        asked.Header("authorization").ShouldBe("Bearer sk-ant-oat01-SUBSCRIPTION");
        asked.Headers.Values.SelectMany(values => values).ShouldNotContain("switchboard-secret");
    }
}
