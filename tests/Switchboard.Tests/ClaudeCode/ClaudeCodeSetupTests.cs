using System.Text.Json;
using Shouldly;
using Switchboard.Cli;
using Switchboard.Config;
using Switchboard.Routing;

namespace Switchboard.Tests.ClaudeCode;

/// <summary>What <c>switchboard code</c> puts in Claude Code's environment, per mode and binding.</summary>
public sealed class ClaudeCodeSetupTests
{
    private static readonly IReadOnlyList<ModelTarget> Local =
        [new("ollama-local", "qwen3:8b"), new("ollama-local", "gpt-oss:20b"), new("ollama-local", "llama3.2:3b")];

    private static SwitchboardConfig Config(string extra = "") => JsonSerializer.Deserialize($$"""
        {
          "providers": { "anthropic": { "type": "anthropic" }, "ollama-local": { "type": "ollama" } }
          {{extra}}
        }
        """, ConfigJson.Default.SwitchboardConfig)!;

    private static Dictionary<string, string> Env(SwitchboardConfig config, params string[] args)
    {
        var wiring = ClaudeCodeSetup.For("http://127.0.0.1:11436", config, Local, ClaudeCodeSetup.TakeFlags(args));
        return wiring.Variables.ToDictionary(v => v.Name, v => v.Value);
    }

    [Fact]
    public void Conservative_BindsTheCustomSlotToTheFirstLocalModel_AndTurnsDiscoveryOn()
    {
        var env = Env(Config());

        env["ANTHROPIC_BASE_URL"].ShouldBe("http://127.0.0.1:11436");
        env["CLAUDE_CODE_GATEWAY_HINT_HEADERS"].ShouldBe("1");
        env["ANTHROPIC_CUSTOM_MODEL_OPTION"].ShouldBe("ollama-local:qwen3:8b");
        env["ANTHROPIC_CUSTOM_MODEL_OPTION_NAME"].ShouldBe("qwen3:8b (ollama-local, Custom slot)");
        env["ANTHROPIC_CUSTOM_MODEL_OPTION_DESCRIPTION"].ShouldBe("ollama-local via Switchboard");
        env.ShouldNotContainKey("ANTHROPIC_DEFAULT_SONNET_MODEL");
        env.ShouldNotContainKey("ANTHROPIC_DEFAULT_OPUS_MODEL");
        env.ShouldNotContainKey("ANTHROPIC_DEFAULT_HAIKU_MODEL");
        env["ANTHROPIC_AUTH_TOKEN"].ShouldBe(ClaudeCodeSetup.DiscoverySentinel);
        env["CLAUDE_CODE_ENABLE_GATEWAY_MODEL_DISCOVERY"].ShouldBe("1");
    }

    [Fact]
    public void Aggressive_AlsoBindsSonnetAndOpus_ButNeverHaiku()
    {
        var env = Env(Config(), "--bridge=aggressive");

        env["ANTHROPIC_CUSTOM_MODEL_OPTION"].ShouldBe("ollama-local:qwen3:8b");
        env["ANTHROPIC_DEFAULT_SONNET_MODEL"].ShouldBe("ollama-local:gpt-oss:20b");
        env["ANTHROPIC_DEFAULT_SONNET_MODEL_NAME"].ShouldBe("gpt-oss:20b (ollama-local, Sonnet slot)");
        env["ANTHROPIC_DEFAULT_OPUS_MODEL"].ShouldBe("ollama-local:llama3.2:3b");
        env.ShouldNotContainKey("ANTHROPIC_DEFAULT_HAIKU_MODEL");
    }

    [Fact]
    public void InternalClassifierModel_IsTheOnlyWayOntoTheHaikuSlot_AndExplicitSlotsWin()
    {
        var env = Env(Config("""
            , "claudeCode": { "bridge": "aggressive", "internalClassifierModel": "ollama-local:llama3.2:3b",
                              "slots": { "sonnet": "anthropic:claude-sonnet-4-5" } }
            """));

        env["ANTHROPIC_DEFAULT_HAIKU_MODEL"].ShouldBe("ollama-local:llama3.2:3b");
        env["ANTHROPIC_DEFAULT_SONNET_MODEL"].ShouldBe("anthropic:claude-sonnet-4-5");
    }

    [Fact]
    public void NoDiscovery_KeepsClaudeCodesOwnLogin_AndBridgeOff_BindsNothing()
    {
        var env = Env(Config("""
            , "claudeCode": { "bridge": "off" }
            """), "--no-discovery", "-p", "hi");

        env.ShouldNotContainKey("ANTHROPIC_AUTH_TOKEN");
        env.ShouldNotContainKey("CLAUDE_CODE_ENABLE_GATEWAY_MODEL_DISCOVERY");
        env.ShouldNotContainKey("ANTHROPIC_CUSTOM_MODEL_OPTION");
        ClaudeCodeSetup.TakeFlags(["--no-discovery", "-p", "hi", "--bridge=aggressive"]).ClaudeArgs.ShouldBe(["-p", "hi"]);
    }

    [Fact]
    public void WiringFlags_MixedWithOurOptions_InAnyOrder_NeverReachClaudeCode()
    {
        var parsed = CodeArguments.Parse(["--no-discovery", "--non-interactive", "--bridge=aggressive", "--port", "4100", "-p", "--non-interactive"], out var error);
        var flags = ClaudeCodeSetup.TakeFlags([.. parsed.ClaudeArgs]);

        error.ShouldBeNull();
        parsed.NonInteractive.ShouldBeTrue();
        parsed.Run.Port.ShouldBe(4100);
        flags.Discovery.ShouldBe(false);
        flags.Bridge.ShouldBe("aggressive");
        // Everything from Claude Code's first argument on is Claude Code's, even a word that looks like ours.
        flags.ClaudeArgs.ShouldBe(["-p", "--non-interactive"]);
    }

    [Fact]
    public void SubagentModel_IsSet_OrFallsBackWithAWarningWhenItIsNotInstalled()
    {
        var installed = ClaudeCodeSetup.For("http://x", Config(", \"subagentModel\": \"ollama-local:gpt-oss:20b\""), Local, ClaudeCodeSetup.TakeFlags([]));
        var missing = ClaudeCodeSetup.For("http://x", Config(", \"subagentModel\": \"ollama-local:deleted:1b\""), Local, ClaudeCodeSetup.TakeFlags([]));

        installed.Variables.ShouldContain(("CLAUDE_CODE_SUBAGENT_MODEL", "ollama-local:gpt-oss:20b"));
        missing.Variables.ShouldNotContain(v => v.Name == "CLAUDE_CODE_SUBAGENT_MODEL");
        missing.Warnings.ShouldContain("subagent model ollama-local:deleted:1b is not installed; subagents use Claude Code's default (run `ollama pull deleted:1b`)");
        installed.Warnings.ShouldNotContain(w => w.StartsWith("subagent model"));
    }

    [Fact]
    public void Summary_SaysWhatWasWiredUp()
    {
        var wiring = ClaudeCodeSetup.For("http://127.0.0.1:11436", Config(), Local, ClaudeCodeSetup.TakeFlags([]));

        wiring.Summary.ShouldContain("router       http://127.0.0.1:11436");
        wiring.Summary.ShouldContain("Custom slot  ollama-local:qwen3:8b");
        wiring.Summary.ShouldContain("bridge       conservative (3 local model(s))");
        wiring.Summary.ShouldContain(line => line.StartsWith("discovery    on"));
    }

    [Fact]
    public void SetupToken_IsNamedAsTheLogin_OrARouterWithoutItIsPointedOut()
    {
        ClaudeCodeSetup.Wiring Wire(bool here, bool router, params string[] args) =>
            ClaudeCodeSetup.For("http://x", Config(), Local, ClaudeCodeSetup.TakeFlags(args), new ClaudeCodeSetup.SetupToken(here, router));

        var used = Wire(here: true, router: true);
        var missed = Wire(here: true, router: false);
        var noDiscovery = Wire(here: true, router: true, "--no-discovery");

        used.Summary.ShouldContain("login        CLAUDE_CODE_OAUTH_TOKEN (a `claude setup-token` token)");
        used.Warnings.ShouldBeEmpty();
        missed.Summary.ShouldNotContain(line => line.StartsWith("login"));
        missed.Warnings.ShouldContain(w => w.Contains("started without it") && w.Contains("switchboard restart"));
        noDiscovery.Summary.ShouldNotContain(line => line.StartsWith("login"));
        noDiscovery.Warnings.ShouldBeEmpty();
    }

    [Theory]
    [InlineData("""{ "anthropic": { "type": "anthropic" } }""", true)]
    [InlineData("""{ "anthropic": { "type": "anthropic", "apiKey": "$SWITCHBOARD_TEST_UNSET_VARIABLE" } }""", true)]
    [InlineData("""{ "anthropic": { "type": "anthropic", "apiKey": "sk-ant-api03-OWN" } }""", false)]
    [InlineData("""{ "anthropic": { "type": "anthropic", "apiKey": "sk-ant-api03-OWN" }, "second": { "type": "anthropic" } }""", true)]
    [InlineData("""{ "ollama-local": { "type": "ollama" } }""", false)]
    public void ClaudeLogin_IsNeededOnlyWhenAnAnthropicProviderHasNoKeyOfItsOwn(string providers, bool needed)
    {
        var config = JsonSerializer.Deserialize($$"""{ "providers": {{providers}} }""", ConfigJson.Default.SwitchboardConfig)!;

        ClaudeCodeSetup.NeedsClaudeLogin(config).ShouldBe(needed);
        if (!needed)
            ClaudeCodeSetup.For("http://x", config, Local, ClaudeCodeSetup.TakeFlags([])).Warnings
                .ShouldNotContain(w => w.Contains("discovery needs your Claude login"));
    }
}
