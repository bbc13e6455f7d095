using System.Text.Json;
using Shouldly;
using Switchboard.Tests.Infrastructure;

namespace Switchboard.Tests.Providers.OpenAI;

/// <summary>
/// An OpenAI-compatible provider in <c>/v1/models</c> (what Claude Code's <c>/model</c> picker lists in discovery mode):
/// the server's own <c>GET /models</c>, asked with the provider's key only, unless the config names its models.
/// </summary>
public sealed class OpenAIModelListTests : OpenAITestBase
{
    protected override string ProviderKeys => """, "apiKey": "sk-provider-own-key" """;

    private async Task<List<(string Id, string Name)>> ListedAsync()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/models?limit=1000");
        request.Headers.TryAddWithoutValidation("x-api-key", "sk-ant-api03-CLIENT-SECRET");
        using var response = await Switchboard.Client.SendAsync(request, Cancel);
        using var models = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Cancel));
        return models.RootElement.GetProperty("data").EnumerateArray()
            .Select(m => (m.GetProperty("id").GetString()!, m.GetProperty("display_name").GetString()!)).ToList();
    }

    [Fact]
    public async Task Models_ListsWhatTheServerServes_AskedWithTheProvidersKeyOnly()
    {
        var listed = await ListedAsync();

        listed.Select(m => m.Id).ShouldBe(["claude-via-openai-test:served-model-a", "claude-via-openai-test:served-model-b"]);
        var asked = OpenAI.Requests.ShouldHaveSingleItem();
        (asked.Method, asked.Path).ShouldBe(("GET", "/v1/models"));
        asked.Header("authorization").ShouldBe("Bearer sk-provider-own-key");
        asked.Header("x-api-key").ShouldBeNull();
    }

    [Fact]
    public async Task Models_WithOpenRoutersDisplayNames_ShowsThem()
    {
        OpenAI.ModelList = ("""{"data":[{"id":"qwen/qwen3-coder","name":"Qwen: Qwen3 Coder"}]}""", 200);

        (await ListedAsync()).ShouldBe([("claude-via-openai-test:qwen/qwen3-coder", "Qwen: Qwen3 Coder")]);
    }

    [Fact]
    public async Task Models_NamedInTheConfig_AreTheListShown_AndTheServerIsNotAsked()
    {
        await ReconfigureAsync(""", "apiKey": "sk-provider-own-key", "models": ["curated-one"]""");

        (await ListedAsync()).Select(m => m.Id).ShouldBe(["claude-via-openai-test:curated-one"]);
        OpenAI.Requests.ShouldBeEmpty();
    }

    [Fact]
    public async Task Models_ServerRefuses_ListIsEmptyNotAnError_AndTheLogSaysWhy()
    {
        OpenAI.ModelList = ("""{"error":{"message":"Invalid API key","type":"invalid_request_error"}}""", 401);

        (await ListedAsync()).ShouldBeEmpty();
        Switchboard.Logs.All.ShouldContain("Invalid API key");
    }
}
