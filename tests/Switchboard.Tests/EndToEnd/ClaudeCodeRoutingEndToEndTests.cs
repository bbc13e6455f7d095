using System.Text.Json;
using Shouldly;
using Switchboard.Tests.Infrastructure;

namespace Switchboard.Tests.EndToEnd;

/// <summary>
/// The real Claude Code through Switchboard with duty routing: the main turn stays on the (scripted) Anthropic
/// upstream while the subagent it starts lands on a scripted Ollama, both with Claude Code's hint headers (as
/// <c>switchboard code</c> turns them on) and without them (detection by inspection).
/// </summary>
public sealed class ClaudeCodeRoutingEndToEndTests : IDisposable
{
    private readonly ClaudeCodeRunner _claude = new();

    public void Dispose() => _claude.Dispose();

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task MainTurnAndSubagent_LandOnDifferentUpstreams(bool hintHeaders)
    {
        var main = new ScriptedAnthropicModel
        {
            Decide = conversation => conversation.LatestToolResults() is { Count: > 0 } results
                ? new ScriptedAnthropicModel.Text((ResultText(results[0]).Contains("E2E-SUBAGENT-REPORT") ? "Main heard: E2E-SUBAGENT-REPORT" : "Main heard nothing") + " E2E-ROUTED-MAIN")
                : new ScriptedAnthropicModel.ToolCall("toolu_agent_1", "Agent",
                    """{"description":"Survey the folder","prompt":"List what is here and report back.","subagent_type":"general-purpose","run_in_background":false}"""),
        };
        await using var anthropic = await ScriptedUpstream.StartAsync(main.HandleAsync);
        await using var ollama = await ScriptedOllama.StartAsync();
        ollama.Chat = _ => [ScriptedOllama.Text("E2E-SUBAGENT-REPORT"), ScriptedOllama.Done()];
        await using var switchboard = await RunningSwitchboard.StartAsync($$"""
            {
              "defaultProvider": "anthropic",
              "routes": { "subagent": "ollama-local:qwen3:8b" },
              "providers": {
                "anthropic": { "type": "anthropic", "baseUrl": "{{anthropic.BaseUrl}}" },
                "ollama-local": { "type": "ollama", "baseUrl": "{{ollama.BaseUrl}}" }
              }
            }
            """);
        var environment = _claude.Environment(switchboard.Address.ToString().TrimEnd('/'));
        if (hintHeaders) environment["CLAUDE_CODE_GATEWAY_HINT_HEADERS"] = "1";

        var result = await _claude.RunAsync(ClaudeCodeRunner.ClaudeExecutable,
            ["-p", "Use an agent to survey this folder.", "--dangerously-skip-permissions"], environment);

        result.ExitCode.ShouldBe(0, result.ToString());
        result.Stdout.ShouldContain("E2E-ROUTED-MAIN", customMessage: result.ToString());
        result.Stdout.ShouldContain("Main heard: E2E-SUBAGENT-REPORT", customMessage: result.ToString());
        // The subagent's turn went to Ollama, and only there; the main turns stayed on Anthropic.
        ollama.ChatRequests.ShouldNotBeEmpty();
        ollama.ChatRequests.ShouldAllBe(chat => chat["messages"]![0]!["content"]!.GetValue<string>().Contains("You are an agent for Claude Code"));
        var mainTurns = anthropic.Requests.Where(r => r.Path == "/v1/messages").ToList();
        mainTurns.Count.ShouldBeGreaterThanOrEqualTo(2);
        mainTurns.ShouldAllBe(r => !r.BodyText.Contains("You are an agent for Claude Code"));
        switchboard.Logs.All.ShouldContain("duty=subagent rule=duty:subagent -> ollama-local:qwen3:8b");
    }

    private static string ResultText(JsonElement result) =>
        result.GetProperty("content") is { ValueKind: JsonValueKind.String } text
            ? text.GetString()!
            : string.Join("\n", result.GetProperty("content").EnumerateArray().Select(part => part.GetProperty("text").GetString()));
}
