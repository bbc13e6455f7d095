using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Shouldly;
using Switchboard.Anthropic;
using Switchboard.Sanitizing;
using Switchboard.Tests.Infrastructure;

namespace Switchboard.Tests.EndToEnd;

/// <summary>
/// One Claude Code session across providers. A tool loop runs on Ollama's Anthropic endpoint, which answers with a
/// tool id holding '.' and ':' and thinking without a signature; then the session goes on with <c>--resume</c>, the
/// same model name now routed to an Anthropic that validates like the real one. (Claude Code repairs a history
/// itself only when the model name changes; when routing moves the same name to another provider it sends the
/// history as it was, and without Switchboard's repairs the resumed session is a 400.)
/// </summary>
public sealed partial class ClaudeCodeCrossProviderEndToEndTests : IAsyncLifetime
{
    private const string KimiId = "functions.Bash:0";
    private const string Model = "claude-opus-5-5";

    private readonly ClaudeCodeRunner _claude = new();
    private ScriptedUpstream _ollama = null!;
    private StrictAnthropic _anthropic = null!;
    private RunningSwitchboard _switchboard = null!;

    [GeneratedRegex("^[a-zA-Z0-9_-]{1,64}$")]
    private static partial Regex AnthropicId();

    public async ValueTask InitializeAsync()
    {
        _ = ClaudeCodeRunner.ClaudeExecutable; // fail first and loudly if the pinned CLI is missing
        // Ollama's /v1/messages, playing Kimi: thinks (unsigned), calls Bash under a Kimi-style id, then answers
        var kimi = new ScriptedAnthropicModel
        {
            SignThinking = () => "",
            Decide = conversation => !conversation.HasTools ? new ScriptedAnthropicModel.Text("ok")
                : conversation.LatestToolResults().Count == 0
                    ? new ScriptedAnthropicModel.ToolCall(KimiId, "Bash", """{"command":"echo crossed > crossed.txt && cat crossed.txt","description":"Write"}""")
                    : new ScriptedAnthropicModel.Text("Wrote it. E2E-OLLAMA-DONE"),
        };
        _ollama = await ScriptedUpstream.StartAsync(kimi.HandleAsync);
        _anthropic = await StrictAnthropic.StartAsync();
        _switchboard = await RunningSwitchboard.StartAsync(ConfigRoutingTo("ollama-cloud"));
    }

    /// <summary>Both providers, with <paramref name="defaultProvider"/> getting the models without a prefix.</summary>
    private string ConfigRoutingTo(string defaultProvider) => _anthropic.Config($$"""
            , "ollama-cloud": { "type": "ollama", "api": "anthropic", "baseUrl": "{{_ollama.BaseUrl}}" }
            """).Replace("\"defaultProvider\": \"anthropic\"", $"\"defaultProvider\": \"{defaultProvider}\"");

    public async ValueTask DisposeAsync()
    {
        await _switchboard.DisposeAsync();
        await _anthropic.DisposeAsync();
        await _ollama.DisposeAsync();
        _claude.Dispose();
    }

    private Task<ChildProcess.Result> RunAsync(string prompt, params string[] extra) =>
        _claude.RunAsync(ClaudeCodeRunner.ClaudeExecutable,
            ["-p", prompt, "--model", Model, "--dangerously-skip-permissions", "--output-format", "json", .. extra],
            _claude.Environment(_switchboard.Address.ToString().TrimEnd('/')));

    private static JsonElement Json(ChildProcess.Result result) => JsonDocument.Parse(result.Stdout).RootElement;

    [Fact]
    public async Task ToolLoopOnOllamaWithKimiIds_ResumedOnStrictAnthropic_IsAccepted()
    {
        // Given an Anthropic that, once the session is resumed on it, runs a tool of its own before answering
        _anthropic.Decide = conversation =>
        {
            if (!conversation.HasTools || !conversation.UserText.Contains("Check it again.")) return new ScriptedAnthropicModel.Text("ok");
            return conversation.LatestToolResults().Count == 0
                ? new ScriptedAnthropicModel.ToolCall("toolu_e2e_check_01", "Bash", """{"command":"cat crossed.txt","description":"Check"}""")
                : new ScriptedAnthropicModel.Text("Still there. E2E-RESUMED-ON-ANTHROPIC");
        };

        // When Claude Code runs the loop with its model routed to Ollama
        var first = await RunAsync("Write the crossed file.");
        first.ExitCode.ShouldBe(0, first.ToString());
        Json(first).GetProperty("result").GetString()!.ShouldContain("E2E-OLLAMA-DONE", customMessage: first.ToString());
        var session = Json(first).GetProperty("session_id").GetString()!;

        // And the same session goes on with --resume, the model now routed to Anthropic
        _switchboard.Home.WriteConfig(ConfigRoutingTo("anthropic"));
        var resumed = await RunAsync("Check it again.", "--resume", session);

        // Then Anthropic accepted every request, and the session finished there
        _anthropic.Rejections.ShouldBeEmpty(resumed.ToString());
        resumed.ExitCode.ShouldBe(0, resumed.ToString());
        Json(resumed).GetProperty("result").GetString()!.ShouldContain("E2E-RESUMED-ON-ANTHROPIC", customMessage: resumed.ToString());
        (await File.ReadAllTextAsync(Path.Combine(_claude.WorkingDirectory, "crossed.txt"), TestContext.Current.CancellationToken)).Trim().ShouldBe("crossed");

        // And what it got was Ollama's loop repaired: the call under an id Anthropic takes, its result following it,
        // the unsigned thinking (signed as Switchboard's own for Claude Code to keep) no longer posing as Anthropic's
        var last = JsonNode.Parse(_anthropic.MessageRequests.Last(r => r.BodyText.Contains("Check it again.")).Body)!;
        var blocks = last["messages"]!.AsArray().SelectMany(m => m!["content"] as JsonArray ?? []).Select(b => b!).ToList();
        var rewritten = ToolIdRule.Anthropic.Rewrite(KimiId);
        blocks.ShouldContain(b => b["type"]!.GetValue<string>() == "tool_use" && b["id"]!.GetValue<string>() == rewritten);
        blocks.ShouldContain(b => b["type"]!.GetValue<string>() == "tool_result" && b["tool_use_id"]!.GetValue<string>() == rewritten);
        blocks.Where(b => b["type"]!.GetValue<string>() == "tool_use").ShouldAllBe(b => AnthropicId().IsMatch(b["id"]!.GetValue<string>()));
        last.ToJsonString().ShouldNotContain(KimiId);
        last.ToJsonString().ShouldNotContain(SynthesizedSignature.Prefix);
        _switchboard.Logs.All.ShouldContain("anthropic: sanitized 1 tool id");
        _switchboard.Logs.All.ShouldContain("ollama-cloud: repaired its stream: signed 1 thinking block");
    }
}
