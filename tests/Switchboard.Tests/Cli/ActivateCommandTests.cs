using Shouldly;
using Switchboard.Tests.Infrastructure;

namespace Switchboard.Tests.Cli;

/// <summary><c>activate</c> prints the environment <c>code --no-discovery</c> gives Claude Code: no more, no less.</summary>
public sealed class ActivateCommandTests : IAsyncLifetime
{
    private readonly TempHome _home = new();
    private readonly CliRunner _cli;
    private ScriptedOllama _ollama = null!;

    private static readonly Dictionary<string, string> Environment = new() { ["SB_TEST_DOOR_KEY"] = "door-789", ["ANTHROPIC_API_KEY"] = "sk-ant-api03-test" };

    public ActivateCommandTests() => _cli = new CliRunner(_home);

    public async ValueTask InitializeAsync()
    {
        // Slots bridged from the installed models (Custom, Sonnet), one written out (Opus), the Haiku slot and subagents
        _ollama = await ScriptedOllama.StartAsync();
        _home.WriteConfig($$"""
            {
              "port": {{TestPorts.Free()}},
              "apiKey": "$SB_TEST_DOOR_KEY",
              "subagentModel": "ollama-local:llama3.2:3b",
              "claudeCode": { "bridge": "aggressive", "slots": { "opus": "anthropic:claude-opus-5-5" }, "internalClassifierModel": "ollama-local:qwen3:8b" },
              "providers": {
                "anthropic": { "type": "anthropic" },
                "ollama-local": { "type": "ollama", "baseUrl": "{{_ollama.BaseUrl}}" }
              }
            }
            """);
    }

    public async ValueTask DisposeAsync()
    {
        await _cli.StopDaemonAsync();
        await _ollama.DisposeAsync();
        _home.Dispose();
    }

    [Fact]
    public async Task Activate_EvaluatedByBash_SetsExactlyWhatCodeNoDiscoveryGivesClaudeCode()
    {
        // Given a stand-in claude that records its environment, run by `code --no-discovery`
        var recorded = Path.Combine(_home.Folder, "claude-env.txt");
        var path = await FakeClaude.WriteAsync(Path.Combine(_home.Folder, "bin"), $"env > '{recorded}'\n");
        var code = await _cli.RunAsync(["code", "--no-discovery", "-p", "hi"], path: path, environment: Environment);
        code.ExitCode.ShouldBe(0, code.ToString());

        // When a shell with the same environment evaluates activate's output
        var plain = await _cli.RunAsync(["-c", "env"], path: path, environment: Environment, fileName: "/bin/bash");
        var activated = await _cli.RunAsync(["-c", $"eval \"$('{CliRunner.Executable}' activate)\" && env"],
            path: path, environment: Environment, fileName: "/bin/bash");
        activated.ExitCode.ShouldBe(0, activated.ToString());

        // Then both added the same variables with the same values, the slot and subagent variables among them
        var baseline = Parse(plain.Stdout);
        var byCode = AddedTo(baseline, Parse(await File.ReadAllTextAsync(recorded, TestContext.Current.CancellationToken)));
        var byActivate = AddedTo(baseline, Parse(activated.Stdout));
        byActivate.ShouldBe(byCode);
        byCode.ShouldContain("ANTHROPIC_CUSTOM_MODEL_OPTION=ollama-local:qwen3:8b");
        byCode.ShouldContain("ANTHROPIC_DEFAULT_SONNET_MODEL=ollama-local:llama3.2:3b");
        byCode.ShouldContain("ANTHROPIC_DEFAULT_OPUS_MODEL=anthropic:claude-opus-5-5");
        byCode.ShouldContain("ANTHROPIC_DEFAULT_HAIKU_MODEL=ollama-local:qwen3:8b");
        byCode.ShouldContain("CLAUDE_CODE_SUBAGENT_MODEL=ollama-local:llama3.2:3b");
        byCode.ShouldContain("ANTHROPIC_CUSTOM_HEADERS=x-switchboard-key: door-789");
        // And the key itself is never printed, only its reference
        activated.Stdout.ShouldContain("door-789");
        (await _cli.RunAsync("activate")).Stdout.ShouldNotContain("door-789");
    }

    private static Dictionary<string, string> Parse(string env) => env
        .Split('\n', StringSplitOptions.RemoveEmptyEntries)
        .Where(line => line.Contains('='))
        .Select(line => line.Split('=', 2))
        .GroupBy(pair => pair[0])
        .ToDictionary(group => group.Key, group => group.Last()[1]);

    /// <summary>The variables set or changed compared with the shell's own, leaving out bash's bookkeeping.</summary>
    private static List<string> AddedTo(Dictionary<string, string> baseline, Dictionary<string, string> env) =>
        [.. env.Where(pair => pair.Key is not ("_" or "SHLVL") && (!baseline.TryGetValue(pair.Key, out var before) || before != pair.Value))
            .Select(pair => $"{pair.Key}={pair.Value}").Order(StringComparer.Ordinal)];
}
