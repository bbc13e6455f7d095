using Shouldly;
using Switchboard.Config;
using Switchboard.Providers;
using Switchboard.Tests.Infrastructure;

namespace Switchboard.Tests.Cli;

/// <summary><c>model-subagent</c> and <c>internal-classifier</c>: numbered menus of installed and Anthropic models, written to config.</summary>
public sealed class ModelSettingCommandTests : IAsyncLifetime
{
    private readonly TempHome _home = new();
    private readonly CliRunner _cli;
    private ScriptedOllama _ollama = null!;

    public ModelSettingCommandTests() => _cli = new CliRunner(_home);

    public async ValueTask InitializeAsync()
    {
        _ollama = await ScriptedOllama.StartAsync();
        _home.WriteConfig($$"""
            {
              "providers": {
                "anthropic": { "type": "anthropic" },
                "ollama-local": { "type": "ollama", "baseUrl": "{{_ollama.BaseUrl}}" },
                "cloud": { "type": "openai", "baseUrl": "https://example.test/v1", "apiKey": "$CLOUD_KEY", "models": ["big-model"] }
              }
            }
            """);
    }

    public async ValueTask DisposeAsync()
    {
        await _ollama.DisposeAsync();
        _home.Dispose();
    }

    [Fact]
    public async Task ModelSubagent_NoArgument_ShowsSettingAndNumberedMenu()
    {
        var result = await _cli.RunAsync("model-subagent");

        result.ExitCode.ShouldBe(0, result.ToString());
        result.Stdout.ShouldContain("configured: default");
        result.Stdout.ShouldContain("  0  default: Claude Code's own choice");
        result.Stdout.ShouldContain("  1  ollama-local:qwen3:8b  (installed in ollama-local)");
        result.Stdout.ShouldContain("  2  ollama-local:llama3.2:3b");
        result.Stdout.ShouldContain("  4  cloud:big-model  (configured in cloud)");
        result.Stdout.ShouldContain("  5  anthropic:claude-haiku-5-5  (Anthropic)");
    }

    [Fact]
    public async Task ModelSubagent_Number_WritesSubagentModelKeepingVariables_AndDefaultRemovesIt()
    {
        var result = await _cli.RunAsync("model-subagent", "2");

        result.ExitCode.ShouldBe(0, result.ToString());
        result.Stdout.ShouldContain("subagentModel = ollama-local:llama3.2:3b");
        result.Stdout.ShouldContain("next switchboard code");
        var written = File.ReadAllText(_home.Home.ConfigFile);
        written.ShouldContain("\"subagentModel\": \"ollama-local:llama3.2:3b\"");
        written.ShouldContain("\"apiKey\": \"$CLOUD_KEY\"");
        (await _cli.RunAsync("model-subagent")).Stdout.ShouldContain("configured: ollama-local:llama3.2:3b");

        var reset = await _cli.RunAsync("model-subagent", "default");
        reset.ExitCode.ShouldBe(0, reset.ToString());
        File.ReadAllText(_home.Home.ConfigFile).ShouldNotContain("subagentModel");
    }

    [Fact]
    public async Task ModelSubagent_ConfigMadePrivate_StaysPrivateAfterTheEdit()
    {
        // Given a config only its owner may read
        if (OperatingSystem.IsWindows()) return;
        File.SetUnixFileMode(_home.Home.ConfigFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);

        // When the CLI edits it
        var result = await _cli.RunAsync("model-subagent", "2");

        // Then it is edited and still 0600
        result.ExitCode.ShouldBe(0, result.ToString());
        File.ReadAllText(_home.Home.ConfigFile).ShouldContain("\"subagentModel\"");
        File.GetUnixFileMode(_home.Home.ConfigFile).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }

    [Fact]
    public async Task ModelSubagent_RunByRootOnAUsersConfig_TheConfigStaysTheUsers()
    {
        // Given a config owned by another user, edited by root (sudo switchboard …): only root can give files away
        if (!UnixOwner.CanTest) return;
        await UnixOwner.SetAsync(_home.Home.ConfigFile, "4242:4343");

        // When the CLI edits it
        var result = await _cli.RunAsync("model-subagent", "2");

        // Then the new file has the old owner
        result.ExitCode.ShouldBe(0, result.ToString());
        File.ReadAllText(_home.Home.ConfigFile).ShouldContain("\"subagentModel\"");
        (await UnixOwner.OfAsync(_home.Home.ConfigFile)).ShouldBe("4242:4343");
    }

    [Fact]
    public async Task InternalClassifier_Number_WritesClaudeCodeInternalClassifierModel()
    {
        var result = await _cli.RunAsync("internal-classifier", "1");

        result.ExitCode.ShouldBe(0, result.ToString());
        File.ReadAllText(_home.Home.ConfigFile).ShouldContain("\"internalClassifierModel\": \"ollama-local:qwen3:8b\"");
        (await _cli.RunAsync("internal-classifier")).Stdout.ShouldContain("configured: ollama-local:qwen3:8b");
    }

    [Fact]
    public async Task ModelSubagent_NumberOffTheMenu_FailsAndWritesNothing()
    {
        var before = File.ReadAllText(_home.Home.ConfigFile);

        var result = await _cli.RunAsync("model-subagent", "99");

        result.ExitCode.ShouldBe(2);
        result.Stdout.ShouldContain("'99' is not on the menu");
        File.ReadAllText(_home.Home.ConfigFile).ShouldBe(before);
    }

    /// <summary>Ollama as <c>defaultProvider</c>, the local-only setup: the menus once offered its models bare.</summary>
    private void GivenOllamaIsTheDefaultProvider() => _home.WriteConfig($$"""
        {
          "defaultProvider": "ollama-local",
          "providers": { "ollama-local": { "type": "ollama", "baseUrl": "{{_ollama.BaseUrl}}" } }
        }
        """);

    [Theory]
    [InlineData("model-subagent", "subagentModel")]
    [InlineData("internal-classifier", "internalClassifierModel")]
    public async Task Setting_OllamaDefaultProvider_PickByNumberWritesProviderAndModel(string command, string key)
    {
        // Given Ollama is the default provider
        GivenOllamaIsTheDefaultProvider();

        // When the first installed model is picked by its number
        var menu = await _cli.RunAsync(command);
        var result = await _cli.RunAsync(command, "1");

        // Then the menu offered it as provider:model, and that was written, and the config loads
        menu.Stdout.ShouldContain("  1  ollama-local:qwen3:8b  (installed in ollama-local)");
        result.ExitCode.ShouldBe(0, result.ToString());
        File.ReadAllText(_home.Home.ConfigFile).ShouldContain($"\"{key}\": \"ollama-local:qwen3:8b\"");
        ConfigLoader.TryLoad(_home.Home.ConfigFile, ProviderRegistry.CreateDefault(new UpstreamClient())).Errors.ShouldBeEmpty();
    }

    [Theory]
    [InlineData("model-subagent", "subagentModel")]
    [InlineData("internal-classifier", "internalClassifierModel")]
    public async Task Setting_OllamaDefaultProvider_PickByNameWritesIt(string command, string key)
    {
        GivenOllamaIsTheDefaultProvider();

        var result = await _cli.RunAsync(command, "ollama-local:llama3.2:3b");

        result.ExitCode.ShouldBe(0, result.ToString());
        result.Stdout.ShouldContain("= ollama-local:llama3.2:3b");
        File.ReadAllText(_home.Home.ConfigFile).ShouldContain($"\"{key}\": \"ollama-local:llama3.2:3b\"");
        (await _cli.RunAsync(command)).Stdout.ShouldContain("configured: ollama-local:llama3.2:3b");
    }

    [Theory]
    [InlineData("model-subagent", "nowhere:qwen3:8b")]
    [InlineData("internal-classifier", "nowhere:qwen3:8b")]
    [InlineData("model-subagent", "qwen3:8b")]
    [InlineData("model-subagent", "ollama-local:")]
    public async Task Setting_NameWithoutAConfiguredProvider_FailsNamingTheProvidersAndLeavesTheFile(string command, string name)
    {
        GivenOllamaIsTheDefaultProvider();
        var before = File.ReadAllBytes(_home.Home.ConfigFile);

        var result = await _cli.RunAsync(command, name);

        result.ExitCode.ShouldBe(2, result.ToString());
        result.Stdout.ShouldContain($"'{name}' is not provider:model with a configured provider");
        result.Stdout.ShouldContain("known providers: ollama-local");
        File.ReadAllBytes(_home.Home.ConfigFile).ShouldBe(before);
    }

    [Fact]
    public async Task Setting_BareInstalledModelName_SuggestsItsProviderForm()
    {
        GivenOllamaIsTheDefaultProvider();

        var result = await _cli.RunAsync("model-subagent", "qwen3:8b");

        result.Stdout.ShouldContain("did you mean ollama-local:qwen3:8b?");
    }

    [Fact]
    public async Task Status_ShowsConfiguredAndSessionValues()
    {
        await _cli.RunAsync("model-subagent", "1");

        var outside = await _cli.RunAsync("status");
        outside.Stdout.ShouldMatch(@"subagentModel\s+│ ollama-local:qwen3:8b\s+│ \(next `switchboard code`\)");

        var inside = await _cli.RunAsync(["status"], environment: new Dictionary<string, string>
        {
            ["ANTHROPIC_BASE_URL"] = "http://127.0.0.1:1", ["CLAUDE_CODE_SUBAGENT_MODEL"] = "claude-haiku-4-5",
        });
        inside.Stdout.ShouldContain("active in this Claude Code session");
        inside.Stdout.ShouldMatch(@"subagentModel\s+│ ollama-local:qwen3:8b\s+│ claude-haiku-4-5");
    }
}
