using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Shouldly;
using Switchboard.Providers.Anthropic;
using Switchboard.Tests.Infrastructure;

namespace Switchboard.Tests.EndToEnd;

/// <summary>
/// Each quick start in the README, run as written by bash in a clone on a fresh machine (<see cref="RunShSandbox"/>),
/// ends with the scripted model's answer printed by the real Claude Code. The upstreams are scripted on loopback: the
/// default config is planted with its base URLs and port pointed at them, since nothing in a block could redirect
/// api.anthropic.com or a port without reaching past what a reader types.
/// </summary>
[UsesPublishedBinary]
public sealed partial class ReadmeQuickStartTests : IAsyncLifetime
{
    private const string LoginToken = "sk-ant-oat01-QUICKSTART-SUBSCRIPTION";
    private ScriptedUpstream _anthropic = null!;
    private ScriptedOllama _ollama = null!;
    private RunShSandbox _machine = null!;

    public async ValueTask InitializeAsync()
    {
        var claude = new ScriptedAnthropicModel { Decide = _ => new ScriptedAnthropicModel.Text("QUICKSTART-ANSWER from scripted Claude") };
        _anthropic = await ScriptedUpstream.StartAsync((context, request) => request.Path == "/v1/models"
            ? AnthropicWire.WriteJsonAsync(context, """{"data":[{"type":"model","id":"claude-sonnet-4-5-20250929","display_name":"Claude Sonnet 4.5","created_at":"2025-09-29T00:00:00Z"}],"has_more":false}""")
            : claude.HandleAsync(context, request));
        _ollama = await ScriptedOllama.StartAsync();
        _ollama.Chat = chat => [ScriptedOllama.Text("QUICKSTART-ANSWER from scripted " + chat["model"]!.GetValue<string>()), ScriptedOllama.Done()];
        _machine = await RunShSandbox.CreateAsync();
        _machine.PlantDefaultConfig(_anthropic.BaseUrl, _ollama.BaseUrl, TestPorts.Free());
    }

    public async ValueTask DisposeAsync()
    {
        await _machine.DisposeAsync();
        await _ollama.DisposeAsync();
        await _anthropic.DisposeAsync();
    }

    private IEnumerable<RecordedRequest> AnthropicTurns => _anthropic.Requests.Where(r => r.Path == "/v1/messages");

    [Fact]
    public void QuickStart_HasTheThreePaths_EachWithABashBlockTheseTestsRun()
    {
        ReadmeQuickStart.Paths().Select(path => path.Heading)
            .ShouldBe([ReadmeQuickStart.Subscription, ReadmeQuickStart.ApiKey, ReadmeQuickStart.LocalOllama]);
    }

    [Fact]
    public async Task SubscriptionQuickStart_LoggedInToClaudeCode_PrintsTheAnswerFromAnthropicOnTheSubscription()
    {
        // Given a machine where Claude Code is logged in (its credentials file, as `claude auth login` leaves it)
        Directory.CreateDirectory(Path.Combine(_machine.Home, ".claude"));
        File.WriteAllText(Path.Combine(_machine.Home, ".claude", ".credentials.json"), new JsonObject
        {
            ["claudeAiOauth"] = new JsonObject { ["accessToken"] = LoginToken, ["expiresAt"] = DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeMilliseconds() },
        }.ToJsonString());

        // When the README's block runs
        var result = await _machine.BashAsync(ReadmeQuickStart.Block(ReadmeQuickStart.Subscription));

        // Then Claude Code prints the scripted Claude's answer, which the subscription's token paid for
        result.ExitCode.ShouldBe(0, result.ToString());
        result.Stdout.TrimEnd().ShouldEndWith("QUICKSTART-ANSWER from scripted Claude", customMessage: result.ToString());
        AnthropicTurns.ShouldNotBeEmpty();
        AnthropicTurns.ShouldAllBe(turn => turn.Header("authorization") == "Bearer " + LoginToken);
        _ollama.ChatRequests.ShouldBeEmpty();
    }

    [Fact]
    public async Task ApiKeyQuickStart_NoLogin_PrintsTheAnswerFromAnthropicOnTheExportedKey()
    {
        var block = ReadmeQuickStart.Block(ReadmeQuickStart.ApiKey);
        var key = ExportedKey().Match(block) is { Success: true } export ? export.Groups[1].Value : throw new InvalidOperationException("the API-key block exports no ANTHROPIC_API_KEY:\n" + block);

        var result = await _machine.BashAsync(block);

        result.ExitCode.ShouldBe(0, result.ToString());
        result.Stdout.TrimEnd().ShouldEndWith("QUICKSTART-ANSWER from scripted Claude", customMessage: result.ToString());
        AnthropicTurns.ShouldNotBeEmpty();
        AnthropicTurns.ShouldAllBe(turn => turn.Header("x-api-key") == key && turn.Header("authorization") != "Bearer " + SubscriptionToken.Sentinel);
        _ollama.ChatRequests.ShouldBeEmpty();
    }

    [Fact]
    public async Task LocalOllamaQuickStart_NoLoginNoKey_PrintsTheAnswerFromTheLocalModel()
    {
        var result = await _machine.BashAsync(ReadmeQuickStart.Block(ReadmeQuickStart.LocalOllama));

        result.ExitCode.ShouldBe(0, result.ToString());
        result.Stdout.TrimEnd().ShouldEndWith("QUICKSTART-ANSWER from scripted qwen3:8b", customMessage: result.ToString());
        AnthropicTurns.ShouldBeEmpty();
        var config = JsonNode.Parse(File.ReadAllText(_machine.SwitchboardHome.ConfigFile), documentOptions: new() { CommentHandling = System.Text.Json.JsonCommentHandling.Skip, AllowTrailingCommas = true })!;
        config["routes"]!["default"]!.GetValue<string>().ShouldBe("ollama-local:qwen3:8b");
        _ollama.ChatRequests.ShouldContain(chat => chat["model"]!.GetValue<string>() == "qwen3:8b");
    }

    [GeneratedRegex(@"^export ANTHROPIC_API_KEY=(\S+)", RegexOptions.Multiline)]
    private static partial Regex ExportedKey();
}
