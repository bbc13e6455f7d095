using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Shouldly;
using Switchboard.Tests.Infrastructure;

namespace Switchboard.Tests.EndToEnd;

/// <summary>
/// The real, interactive Claude Code in tmux with gateway discovery on: Switchboard's <c>/v1/models</c> fills the
/// <c>/model</c> picker, and picking an Ollama model there sends the next turn to that model.
/// </summary>
public sealed partial class ModelPickerTmuxTests : IDisposable
{
    private const string DiscoveryBearer = "sk-ant-oat01-e2e-discovery-token";
    private const string AnthropicModels = """
        {"data":[{"type":"model","id":"claude-opus-4-5-20251101","display_name":"Claude Opus 4.5","created_at":"2025-11-01T00:00:00Z"}],
         "has_more":false,"first_id":"claude-opus-4-5-20251101","last_id":"claude-opus-4-5-20251101"}
        """;

    private readonly ClaudeCodeRunner _claude = new();

    public void Dispose() => _claude.Dispose();

    [GeneratedRegex(@"❯ (\d+)\. ")]
    private static partial Regex Highlighted();

    [GeneratedRegex(@"(\d+)\. qwen3:8b \(ollama-local\)")]
    private static partial Regex QwenEntry();

    [Fact]
    public async Task ModelPicker_ListsDiscoveredModels_AndPickingOneRoutesTheNextTurnToIt()
    {
        var claude = new ScriptedAnthropicModel { Decide = conversation => new ScriptedAnthropicModel.Text("E2E-ANTHROPIC-ANSWER") };
        await using var anthropic = await ScriptedUpstream.StartAsync((context, request) => request.Path == "/v1/models"
            ? AnthropicWire.WriteJsonAsync(context, AnthropicModels)
            : claude.HandleAsync(context, request));
        await using var ollama = await ScriptedOllama.StartAsync();
        ollama.Chat = chat => [ScriptedOllama.Text("E2E-PICKED " + chat["model"]!.GetValue<string>()), ScriptedOllama.Done()];
        await using var switchboard = await RunningSwitchboard.StartAsync($$"""
            {
              "defaultProvider": "anthropic",
              "providers": {
                "anthropic": { "type": "anthropic", "baseUrl": "{{anthropic.BaseUrl}}" },
                "ollama-local": { "type": "ollama", "baseUrl": "{{ollama.BaseUrl}}" }
              }
            }
            """);
        _claude.SkipOnboardingAndTrustFolder();

        await using var tmux = await TmuxSession.StartAsync(_claude.WorkingDirectory,
            _claude.DiscoveryEnvironment(switchboard.Address.ToString().TrimEnd('/'), DiscoveryBearer),
            [ClaudeCodeRunner.ClaudeExecutable]);
        // Discovery runs in the background at start-up; the picker shows what it cached.
        await Eventually.WaitAsync(() => File.Exists(_claude.DiscoveryCacheFile), "Claude Code to cache the discovered models");
        await tmux.WaitForTextAsync("❯");

        await tmux.TypeAsync("/model");
        await tmux.WaitForTextAsync("❯ /model");
        await tmux.SendKeysAsync("Enter");
        var picker = await tmux.WaitForTextAsync("qwen3:8b (ollama-local)");

        picker.ShouldContain("Claude Opus 4.5");
        picker.ShouldContain("llama3.2:3b (ollama-local)");
        picker.ShouldContain("llava:7b (ollama-local)");
        var from = int.Parse(Highlighted().Match(picker).Groups[1].Value);
        var to = int.Parse(QwenEntry().Match(picker).Groups[1].Value);
        for (var step = from; step < to; step++) await tmux.SendKeysAsync("Down");
        await tmux.WaitForScreenAsync(screen => screen.Contains($"❯ {to}. qwen3:8b (ollama-local)"), "the qwen3:8b entry highlighted");
        await tmux.SendKeysAsync("Enter");
        await tmux.WaitForTextAsync("Set model to qwen3:8b (ollama-local)");

        await tmux.TypeAsync("Say hello.");
        await tmux.SendKeysAsync("Enter");
        await tmux.WaitForTextAsync("E2E-PICKED qwen3:8b");
        // When auto mode (the default) asks for the upstream's safety check, Ollama cannot run it: that try is a 400
        // naming safeguards, and Claude Code asks again without them (running the check itself), as the answer shows.
        var log = switchboard.Logs.All;
        var refused = log.IndexOf("400 invalid_request_error: safeguards: qwen3:8b in ollama-local", StringComparison.Ordinal);
        if (refused >= 0) log.IndexOf("-> ollama-local:qwen3:8b fallbacks=none tokens=- 200", refused, StringComparison.Ordinal).ShouldBeGreaterThan(refused);

        // The turn (and the session title Claude Code asks the same model for) went to qwen3:8b, none to Anthropic.
        var turns = ollama.ChatRequests.Where(chat => chat.ToJsonString().Contains("Say hello.")).ToList();
        turns.ShouldNotBeEmpty();
        turns.ShouldAllBe(chat => chat["model"]!.GetValue<string>() == "qwen3:8b");
        anthropic.Requests.ShouldNotContain(request => request.Path == "/v1/messages" && request.BodyText.Contains("Say hello."));
        anthropic.Requests.ShouldContain(request => request.Path == "/v1/models" && request.Header("authorization") == "Bearer " + DiscoveryBearer);
        // The token Claude Code holds for Anthropic never reached Ollama.
        ollama.Requests.ShouldAllBe(request => request.Header("authorization") == null && request.Header("x-api-key") == null);
    }
}
