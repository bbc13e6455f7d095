using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Shouldly;
using Switchboard.Providers.Anthropic;
using Switchboard.Tests.Infrastructure;

namespace Switchboard.Tests.EndToEnd;

/// <summary>
/// <c>switchboard code</c> in discovery mode, in tmux, with the real interactive Claude Code: the picker shows the
/// bridged Custom slot and the discovered models; picking a local model routes the next turn to Ollama; picking
/// Claude sends the turn to Anthropic with the subscription token from the test's credentials file, which Ollama
/// never sees.
/// </summary>
public sealed partial class SwitchboardCodeDiscoveryTmuxTests : IAsyncDisposable
{
    private const string LiveToken = "sk-ant-oat01-E2E-SUBSCRIPTION-TOKEN";
    private readonly ClaudeCodeRunner _claude = new();
    private readonly TempHome _switchboardHome = new();

    public async ValueTask DisposeAsync()
    {
        await new CliRunner(_switchboardHome).StopDaemonAsync();
        _switchboardHome.Dispose();
        _claude.Dispose();
    }

    [GeneratedRegex(@"❯ (\d+)\. ")]
    private static partial Regex Highlighted();

    private static int Confirmations(string screen) => Regex.Matches(screen, "Set model to ").Count;

    private static async Task<string> PickAsync(TmuxSession tmux, string label)
    {
        var before = Confirmations(await tmux.CaptureAsync());
        await tmux.TypeAsync("/model");
        await tmux.WaitForTextAsync("❯ /model");
        await tmux.SendKeysAsync("Enter");
        var picker = await tmux.WaitForScreenAsync(screen => screen.Contains(label) && Highlighted().IsMatch(screen), $"the picker listing {label}");
        var from = int.Parse(Highlighted().Match(picker).Groups[1].Value);
        var entry = Regex.Match(picker, @"(\d+)\.\s+" + Regex.Escape(label));
        if (!entry.Success) throw new InvalidOperationException($"{label} is on screen but not as a picker entry:\n{picker}");
        var to = int.Parse(entry.Groups[1].Value);
        for (var step = from; step < to; step++) await tmux.SendKeysAsync("Down");
        for (var step = from; step > to; step--) await tmux.SendKeysAsync("Up");
        await tmux.WaitForScreenAsync(screen => Regex.IsMatch(screen, $@"❯ {to}\.\s+{Regex.Escape(label)}"), $"{label} highlighted");
        await tmux.SendKeysAsync("Enter");
        // Mid-conversation, Claude Code asks whether to switch (the cache is lost); yes.
        var after = await tmux.WaitForScreenAsync(screen => screen.Contains("Switch model?") || Confirmations(screen) > before, "the switch to go through");
        if (after.Contains("Switch model?"))
        {
            await tmux.SendKeysAsync("Enter");
            await tmux.WaitForScreenAsync(screen => Confirmations(screen) > before, "the switch to be confirmed");
        }
        return picker;
    }

    private static async Task SayAsync(TmuxSession tmux, string text, string answer)
    {
        await tmux.TypeAsync(text);
        await tmux.SendKeysAsync("Enter");
        await tmux.WaitForTextAsync(answer);
    }

    [Fact]
    public async Task Code_DiscoveryMode_PickerShowsBridgedAndDiscoveredModels_AndEachRoutesWithTheRightCredential()
    {
        var claude = new ScriptedAnthropicModel { Decide = _ => new ScriptedAnthropicModel.Text("E2E-ANTHROPIC-ON-SUBSCRIPTION") };
        await using var anthropic = await ScriptedUpstream.StartAsync((context, request) => request.Path == "/v1/models"
            ? AnthropicWire.WriteJsonAsync(context, """{"data":[{"type":"model","id":"claude-opus-4-5-20251101","display_name":"Claude Opus 4.5","created_at":"2025-11-01T00:00:00Z"}],"has_more":false}""")
            : claude.HandleAsync(context, request));
        await using var ollama = await ScriptedOllama.StartAsync();
        ollama.Chat = chat => [ScriptedOllama.Text("E2E-OLLAMA-PICKED " + chat["model"]!.GetValue<string>()), ScriptedOllama.Done()];
        _switchboardHome.WriteConfig($$"""
            {
              "port": {{TestPorts.Free()}},
              "defaultProvider": "anthropic",
              "providers": {
                "anthropic": { "type": "anthropic", "baseUrl": "{{anthropic.BaseUrl}}" },
                "ollama-local": { "type": "ollama", "baseUrl": "{{ollama.BaseUrl}}" }
              }
            }
            """);
        _claude.SkipOnboardingAndTrustFolder();
        Directory.CreateDirectory(Path.Combine(_claude.Home, ".claude"));
        File.WriteAllText(Path.Combine(_claude.Home, ".claude", ".credentials.json"), new JsonObject
        {
            ["claudeAiOauth"] = new JsonObject { ["accessToken"] = LiveToken, ["expiresAt"] = DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeMilliseconds() },
        }.ToJsonString());
        var environment = _claude.TerminalEnvironment(_switchboardHome.Folder);

        await using var tmux = await TmuxSession.StartAsync(_claude.WorkingDirectory, environment, [CliRunner.Executable, "code"]);
        await Eventually.WaitAsync(() => File.Exists(_claude.DiscoveryCacheFile), "Claude Code to cache the discovered models");
        await tmux.WaitForTextAsync("❯");

        // The Custom slot is bridged to the first local model; the rest are discovered.
        var picker = await PickAsync(tmux, "llama3.2:3b (ollama-local)");
        picker.ShouldContain("qwen3:8b (ollama-local, Custom slot)");
        picker.ShouldContain("Claude Opus 4.5");
        picker.ShouldContain("llava:7b (ollama-local)");
        await SayAsync(tmux, "Hello local.", "E2E-OLLAMA-PICKED llama3.2:3b");

        await PickAsync(tmux, "Claude Opus 4.5");
        await SayAsync(tmux, "Hello Claude.", "E2E-ANTHROPIC-ON-SUBSCRIPTION");

        var claudeTurn = anthropic.Requests.Last(r => r.Path == "/v1/messages" && r.BodyText.Contains("Hello Claude."));
        claudeTurn.Header("authorization").ShouldBe("Bearer " + LiveToken);
        claudeTurn.Header("anthropic-beta")!.ShouldContain("oauth-2025-04-20");
        JsonNode.Parse(claudeTurn.Body)!["model"]!.GetValue<string>().ShouldBe("claude-opus-4-5-20251101");
        ollama.ChatRequests.ShouldContain(chat => chat["model"]!.GetValue<string>() == "llama3.2:3b" && chat.ToJsonString().Contains("Hello local."));
        ollama.Requests.ShouldAllBe(r => r.Header("authorization") == null && !r.BodyText.Contains(LiveToken) && !r.BodyText.Contains(SubscriptionToken.Sentinel));
        anthropic.Requests.ShouldAllBe(r => r.Header("authorization") != "Bearer " + SubscriptionToken.Sentinel);
    }
}
