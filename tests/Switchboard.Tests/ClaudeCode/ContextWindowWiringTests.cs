using System.Text.Json;
using Shouldly;
using Switchboard.Cli;
using Switchboard.Config;
using Switchboard.Routing;

namespace Switchboard.Tests.ClaudeCode;

/// <summary>
/// <c>switchboard code</c> tells Claude Code the window of the non-Claude models it binds
/// (<c>CLAUDE_CODE_MAX_CONTEXT_TOKENS</c>, read for every model id Claude Code does not know), so a small local
/// model compacts in time instead of being assumed 1M tokens wide; a default route to such a model starts the session
/// on a non-Claude name, and a small window caps replies so the threshold is not below zero.
/// </summary>
public sealed class ContextWindowWiringTests
{
    private static readonly IReadOnlyList<ModelTarget> Local =
        [new("ollama-local", "qwen3:8b"), new("ollama-local", "gpt-oss:20b"), new("ollama-local", "llama3.2:3b")];

    private static readonly Dictionary<ModelTarget, int> Reported = new()
    {
        [new("ollama-local", "qwen3:8b")] = 40960,
        [new("ollama-local", "gpt-oss:20b")] = 32768,
        [new("ollama-local", "llama3.2:3b")] = 65536,
    };

    private static SwitchboardConfig Config(string ollama = "", string extra = "") => JsonSerializer.Deserialize($$"""
        {
          "providers": { "anthropic": { "type": "anthropic" }, "ollama-local": { "type": "ollama" {{ollama}} } }
          {{extra}}
        }
        """, ConfigJson.Default.SwitchboardConfig)!;

    private static Dictionary<string, string> Env(SwitchboardConfig config, IReadOnlyDictionary<ModelTarget, int>? windows, params string[] args) =>
        ClaudeCodeSetup.For("http://127.0.0.1:11436", config, Local, ClaudeCodeSetup.TakeFlags(args), windows: windows)
            .Variables.ToDictionary(v => v.Name, v => v.Value);

    [Fact]
    public void CustomSlotOnALocalModel_SetsItsReportedWindow()
    {
        var env = Env(Config(), Reported);

        env[ContextWindows.Variable].ShouldBe("40960");
    }

    [Fact]
    public void SeveralLocalSlots_SetTheSmallestWindowAmongThem()
    {
        var env = Env(Config(), Reported, "--bridge=aggressive");

        env[ContextWindows.Variable].ShouldBe("32768");
    }

    [Fact]
    public void PerModelContextWindow_WinsOverTheReportedOne()
    {
        var env = Env(Config(ollama: """, "perModel": { "qwen3*": { "contextWindow": 20000 } }"""), Reported);

        env[ContextWindows.Variable].ShouldBe("20000");
    }

    [Fact]
    public void SlotsOnAnthropicOnly_OrUnknownWindows_LeaveClaudeCodesOwnWindow()
    {
        Env(Config(), Reported, "--bridge=off").ShouldNotContainKey(ContextWindows.Variable);
        Env(Config(), windows: null).ShouldNotContainKey(ContextWindows.Variable);
        Env(Config(extra: """, "claudeCode": { "bridge": "off", "slots": { "opus": "anthropic:claude-opus-4-5" } }"""), Reported)
            .ShouldNotContainKey(ContextWindows.Variable);
    }

    [Fact]
    public void SubagentModelOnALocalModel_CountsToo()
    {
        var env = Env(Config(extra: """, "subagentModel": "ollama-local:gpt-oss:20b" """), Reported);

        env[ContextWindows.Variable].ShouldBe("32768");
    }

    [Fact]
    public void SmallWindow_CapsRepliesAtAnEighthOfIt_ALargeOneLeavesThemAlone()
    {
        Env(Config(), Reported)[ContextWindows.OutputVariable].ShouldBe("5120");
        Env(Config(ollama: """, "perModel": { "qwen3*": { "contextWindow": 200000 } }"""), Reported).ShouldNotContainKey(ContextWindows.OutputVariable);
    }

    [Fact]
    public void DefaultRouteToALocalModel_StartsOnItsBareName_AndSetsItsWindow()
    {
        var env = Env(Config(extra: """, "routes": { "default": "ollama-local:gpt-oss:20b" } """), Reported, "--bridge=off");

        env[DefaultModelBinding.Variable].ShouldBe("gpt-oss:20b");
        env[ContextWindows.Variable].ShouldBe("32768");
        env[ContextWindows.OutputVariable].ShouldBe("4096");
    }

    [Fact]
    public void DefaultRouteByAClaudeGlob_StartsOnTheExplicitTarget_BecauseTheBareNameWouldGoElsewhere()
    {
        var env = Env(Config(extra: """, "modelMap": { "claude-*": "ollama-local:llama3.2:3b" } """), Reported, "--bridge=off");

        env[DefaultModelBinding.Variable].ShouldBe("ollama-local:llama3.2:3b");
        env[ContextWindows.Variable].ShouldBe("65536");
    }

    [Fact]
    public void DefaultRouteToAnthropic_OrAModelChosenByTheUser_LeavesTheMainModelAlone()
    {
        Env(Config(), Reported).ShouldNotContainKey(DefaultModelBinding.Variable);
        Env(Config(extra: """, "routes": { "default": "ollama-local:gpt-oss:20b" } """), Reported, "--bridge=off", "--model", "claude-opus-4-5")
            .ShouldNotContainKey(DefaultModelBinding.Variable);
    }
}
