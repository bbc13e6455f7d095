using Shouldly;
using Spectre.Console.Testing;
using Switchboard.Cli.Commands;
using Switchboard.Config;
using Switchboard.Tests.Infrastructure;

namespace Switchboard.Tests.Cli;

/// <summary><c>switchboard model</c>, the interactive picker, driven by keys on a test console.</summary>
public sealed class ModelPickerCommandTests : IAsyncLifetime
{
    private readonly TempHome _home = new();
    private ScriptedOllama _ollama = null!;
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _ollama = await ScriptedOllama.StartAsync();
        _home.WriteConfig($$"""
            {
              "providers": {
                "anthropic": { "type": "anthropic", "apiKey": "$KEEP_THIS_REFERENCE" },
                "ollama-local": { "type": "ollama", "baseUrl": "{{_ollama.BaseUrl}}" }
              }
            }
            """);
    }

    public async ValueTask DisposeAsync()
    {
        await _ollama.DisposeAsync();
        _home.Dispose();
    }

    private static void Press(TestConsole console, ConsoleKey key, int times = 1)
    {
        for (var i = 0; i < times; i++) console.Input.PushKey(key);
    }

    /// <summary>Picks the binding at <paramref name="binding"/> (0-based), then the model at <paramref name="model"/> (0 is "unset").</summary>
    private static void Bind(TestConsole console, int binding, int model)
    {
        Press(console, ConsoleKey.DownArrow, binding);
        Press(console, ConsoleKey.Enter);
        Press(console, ConsoleKey.DownArrow, model);
        Press(console, ConsoleKey.Enter);
    }

    /// <summary>"Save and exit", the last of the twelve bindings.</summary>
    private static void SaveAndExit(TestConsole console)
    {
        Press(console, ConsoleKey.DownArrow, 12);
        Press(console, ConsoleKey.Enter);
    }

    private SwitchboardConfig Saved() =>
        ConfigLoader.TryLoad(_home.Home.ConfigFile, Switchboard.Providers.ProviderRegistry.CreateDefault(new Switchboard.Providers.UpstreamClient())).Config!;

    [Fact]
    public async Task Picker_BindsADutyAndASlot_AndWritesOneValidConfig()
    {
        var console = new TestConsole().Interactive();
        // route subagent (third) → the first installed model (after "unset"); slot Sonnet (ninth) → the second
        Bind(console, binding: 2, model: 1);
        Bind(console, binding: 8, model: 2);
        SaveAndExit(console);

        var exit = await ModelPickerCommand.RunAsync(_home.Home, console, Cancel);

        exit.ShouldBe(0, console.Output);
        var config = Saved();
        config.Routes!.Subagent!.Targets.ShouldBe(["ollama-local:qwen3:8b"]);
        config.ClaudeCode.Slots!.Sonnet.ShouldBe("ollama-local:llama3.2:3b");
        File.ReadAllText(_home.Home.ConfigFile).ShouldContain("$KEEP_THIS_REFERENCE");
        console.Output.ShouldContain("routes.subagent = ollama-local:qwen3:8b");
    }

    [Fact]
    public async Task Picker_OllamaDefaultProvider_SavesTheSubagentAndHaikuSlotAsProviderAndModel()
    {
        // Given Ollama is the default provider (its models were once offered bare, and refused on save)
        _home.WriteConfig($$"""
            { "defaultProvider": "ollama-local", "providers": { "ollama-local": { "type": "ollama", "baseUrl": "{{_ollama.BaseUrl}}" } } }
            """);
        var console = new TestConsole().Interactive();
        // subagents (twelfth) → the first installed model; the Haiku slot (eleventh) → the second
        Bind(console, binding: 11, model: 1);
        Bind(console, binding: 10, model: 2);
        SaveAndExit(console);

        var exit = await ModelPickerCommand.RunAsync(_home.Home, console, Cancel);

        exit.ShouldBe(0, console.Output);
        var config = Saved();
        config.SubagentModel.ShouldBe("ollama-local:qwen3:8b");
        config.ClaudeCode.InternalClassifierModel.ShouldBe("ollama-local:llama3.2:3b");
    }

    [Fact]
    public async Task Picker_WithoutATerminal_SaysWhatToUseInstead()
    {
        var console = new TestConsole();

        var exit = await ModelPickerCommand.RunAsync(_home.Home, console, Cancel);

        exit.ShouldBe(2);
        console.Output.ShouldContain("needs a terminal");
    }
}
