using System.Net;
using Shouldly;
using Switchboard.Anthropic;
using Switchboard.Tests.Infrastructure;

namespace Switchboard.Tests.Providers.Ollama;

/// <summary>Ollama provider settings: its own key, strict thinking, Anthropic mode, and Ollama being down.</summary>
public sealed class OllamaModesTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Messages_CloudProviderKey_GoesAsBearerToOllamaOnly()
    {
        await using var ollama = await ScriptedOllama.StartAsync();
        ollama.Chat = _ => [ScriptedOllama.Text("ok"), ScriptedOllama.Done()];
        await using var switchboard = await RunningSwitchboard.StartAsync(ollama.Config(""", "apiKey": "ollama-cloud-key" """, name: "ollama-cloud"));
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/messages") { Content = AnthropicWire.Json(AnthropicWire.Request("qwen3:8b")) };
        request.Headers.TryAddWithoutValidation("x-api-key", "sk-ant-api03-SECRET");

        using var response = await switchboard.Client.SendAsync(request, Cancel);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        foreach (var seen in ollama.Requests)
        {
            seen.Header("authorization").ShouldBe("Bearer ollama-cloud-key");
            seen.Header("x-api-key").ShouldBeNull();
        }
    }

    [Fact]
    public async Task Messages_ExplicitThinkingBudgetWithStrictThinking_Is400ForModelsThatCannotThink()
    {
        await using var ollama = await ScriptedOllama.StartAsync();
        await using var switchboard = await RunningSwitchboard.StartAsync(ollama.Config(""", "strictThinking": true"""));
        var body = """{"model":"llama3.2:3b","max_tokens":2000,"thinking":{"type":"enabled","budget_tokens":1024},"messages":[{"role":"user","content":"x"}]}""";

        using var response = await switchboard.Client.PostAsync("/v1/messages", AnthropicWire.Json(body), Cancel);

        (await response.ShouldBeAnthropicErrorAsync(HttpStatusCode.BadRequest, "invalid_request_error"))
            .ShouldStartWith("Model llama3.2:3b in ollama-local cannot think");
        ollama.ChatRequests.ShouldBeEmpty();
    }

    [Fact]
    public async Task Messages_ConfiguredNumCtx_OverridesTheModelsLength()
    {
        await using var ollama = await ScriptedOllama.StartAsync();
        ollama.Chat = _ => [ScriptedOllama.Text("ok"), ScriptedOllama.Done()];
        await using var switchboard = await RunningSwitchboard.StartAsync(ollama.Config(""", "numCtx": 16384"""));

        using var response = await switchboard.Client.PostAsync("/v1/messages", AnthropicWire.Json(AnthropicWire.Request("qwen3:8b")), Cancel);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        ollama.ChatRequests.ShouldHaveSingleItem()["options"]!["num_ctx"]!.GetValue<int>().ShouldBe(16384);
    }

    [Fact]
    public async Task Messages_OllamaDown_Is502NamingTheProvider()
    {
        var port = TestPorts.Free();
        await using var switchboard = await RunningSwitchboard.StartAsync($$"""
            {"defaultProvider":"ollama-local","providers":{"ollama-local":{"type":"ollama","baseUrl":"http://127.0.0.1:{{port}}"} } }
            """);

        using var response = await switchboard.Client.PostAsync("/v1/messages", AnthropicWire.Json(AnthropicWire.Request("qwen3:8b")), Cancel);

        (await response.ShouldBeAnthropicErrorAsync(HttpStatusCode.BadGateway, "api_error")).ShouldContain("Could not reach provider 'ollama-local'");
    }

    [Fact]
    public async Task Messages_AnthropicMode_RelaysToOllamasMessagesEndpointWithoutClientCredentials()
    {
        await using var upstream = await ScriptedUpstream.StartAsync((context, _) =>
            AnthropicWire.WriteSseAsync(context, AnthropicWire.TextStream("qwen3:8b", "via ollama's anthropic endpoint")));
        await using var switchboard = await RunningSwitchboard.StartAsync($$"""
            {"defaultProvider":"ollama-local","providers":{"ollama-local":{"type":"ollama","api":"anthropic","baseUrl":"{{upstream.BaseUrl}}","apiKey":"own-key"} } }
            """);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/messages") { Content = AnthropicWire.Json(AnthropicWire.Request("qwen3:8b")) };
        request.Headers.TryAddWithoutValidation("x-api-key", "sk-ant-api03-SECRET");
        request.Headers.TryAddWithoutValidation("anthropic-version", "2023-06-01");

        using var response = await switchboard.Client.PostAsync("/v1/messages", AnthropicWire.Json(AnthropicWire.Request("qwen3:8b")), Cancel);
        using var withCredentials = await switchboard.Client.SendAsync(request, Cancel);

        (await response.Content.ReadAsStringAsync(Cancel)).ShouldContain("via ollama's anthropic endpoint");
        withCredentials.StatusCode.ShouldBe(HttpStatusCode.OK);
        upstream.Requests.ShouldAllBe(r => r.Path == "/v1/messages");
        var seen = upstream.Requests.Last();
        seen.Header("x-api-key").ShouldBeNull();
        seen.Header("authorization").ShouldBe("Bearer own-key");
        seen.Header("anthropic-version").ShouldBe("2023-06-01");
    }
}
