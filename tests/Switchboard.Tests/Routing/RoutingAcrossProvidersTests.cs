using System.Net;
using System.Text.Json;
using Shouldly;
using Switchboard.Anthropic;
using Switchboard.Tests.EndToEnd;
using Switchboard.Tests.Infrastructure;

namespace Switchboard.Tests.Routing;

/// <summary>
/// One config with every provider type, each duty routed to a different one: each recorded Claude Code request lands
/// on the upstream its duty names, translated into that upstream's wire format, and comes back as Anthropic events.
/// </summary>
public sealed class RoutingAcrossProvidersTests : IAsyncLifetime
{
    private ScriptedUpstream _anthropic = null!;
    private ScriptedOllama _ollama = null!;
    private ScriptedOpenAI _openai = null!;
    private ScriptedGemini _gemini = null!;
    private ScriptedBedrock _bedrock = null!;
    private RunningSwitchboard _switchboard = null!;
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        TestAwsProfile.Install();
        var claude = new ScriptedAnthropicModel { Decide = _ => new ScriptedAnthropicModel.Text("via anthropic") };
        _anthropic = await ScriptedUpstream.StartAsync(claude.HandleAsync);
        _ollama = await ScriptedOllama.StartAsync();
        _ollama.Chat = _ => [ScriptedOllama.Text("via ollama"), ScriptedOllama.Done()];
        _openai = await ScriptedOpenAI.StartAsync();
        _openai.Chat = _ => [ScriptedOpenAI.Role(), ScriptedOpenAI.Text("via openai"), ScriptedOpenAI.Finish("stop"), ScriptedOpenAI.Usage(), ScriptedOpenAI.DoneLine];
        _gemini = await ScriptedGemini.StartAsync();
        _gemini.Reply = _ => [ScriptedGemini.Text("via gemini"), ScriptedGemini.Finish()];
        _bedrock = await ScriptedBedrock.StartAsync();
        _bedrock.Converse = _ => [ScriptedBedrock.Text("via bedrock"), ScriptedBedrock.BlockStop(0), ScriptedBedrock.MessageStop("end_turn"), ScriptedBedrock.Metadata(10, 2)];
        _switchboard = await RunningSwitchboard.StartAsync($$"""
            {
              "defaultProvider": "anthropic",
              "routes": {
                "subagent": "ollama-local:qwen3:8b",
                "webSearch": "openai:gpt-4.1",
                "image": "gemini:gemini-2.5-pro",
                "think": "bedrock:us.anthropic.claude-sonnet-4-5-20250929-v1:0"
              },
              "providers": {
                "anthropic": { "type": "anthropic", "baseUrl": "{{_anthropic.BaseUrl}}" },
                "ollama-local": { "type": "ollama", "baseUrl": "{{_ollama.BaseUrl}}" },
                "openai": { "type": "openai", "baseUrl": "{{_openai.BaseUrl}}", "apiKey": "sk-openai-test" },
                "gemini": { "type": "gemini", "baseUrl": "{{_gemini.BaseUrl}}", "apiKey": "{{ScriptedGemini.Key}}" },
                "bedrock": { "type": "bedrock", "baseUrl": "{{_bedrock.BaseUrl}}", "region": "{{ScriptedBedrock.Region}}", "profile": "{{ScriptedBedrock.Profile}}" }
              }
            }
            """);
    }

    public async ValueTask DisposeAsync()
    {
        await _switchboard.DisposeAsync();
        await _bedrock.DisposeAsync();
        await _gemini.DisposeAsync();
        await _openai.DisposeAsync();
        await _ollama.DisposeAsync();
        await _anthropic.DisposeAsync();
    }

    [Theory]
    [InlineData("main-turn", "via anthropic")]
    [InlineData("subagent", "via ollama")]
    [InlineData("web-search", "via openai")]
    [InlineData("image-tool-result", "via gemini")]
    [InlineData("plan-mode", "via bedrock")]
    public async Task EachDuty_LandsOnItsProviderType_AndComesBackAsAnthropicEvents(string recording, string answer)
    {
        // Auto mode's safeguards go to Anthropic only; elsewhere Claude Code has sent the turn again without them.
        using var request = RecordedClaudeCode.HttpRequest(recording, asRetried: answer != "via anthropic");
        request.Headers.TryAddWithoutValidation("x-api-key", "sk-ant-api03-client");

        using var response = await _switchboard.Client.SendAsync(request, Cancel);
        var text = await response.Content.ReadAsStringAsync(Cancel);

        response.StatusCode.ShouldBe(HttpStatusCode.OK, text);
        (await AnthropicWire.TextOfAsync(text, Cancel)).ShouldBe(answer);
        // Only the chosen upstream was asked, and the client's Anthropic key went nowhere but Anthropic.
        var asked = new[] { _anthropic.Requests, _ollama.Requests, _openai.Requests, _gemini.Requests, _bedrock.Requests }
            .Count(requests => requests.Any(r => r.Method == "POST"));
        asked.ShouldBe(1);
        foreach (var requests in new[] { _ollama.Requests, _openai.Requests, _gemini.Requests, _bedrock.Requests })
            requests.ShouldAllBe(r => r.Header("x-api-key") == null && !r.BodyText.Contains("sk-ant-api03-client"));
        _bedrock.Refusals.ShouldBeEmpty();
    }
}
