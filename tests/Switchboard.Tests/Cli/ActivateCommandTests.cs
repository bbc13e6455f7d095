using Shouldly;
using Switchboard.Tests.Infrastructure;

namespace Switchboard.Tests.Cli;

/// <summary>
/// <c>activate</c> prints the environment <c>code --no-discovery</c> gives Claude Code, no more, no less, in the
/// language of the user's shell; values with spaces, quotes and <c>$</c> arrive intact.
/// </summary>
public sealed class ActivateCommandTests : IAsyncLifetime
{
    private readonly TempHome _home = new();
    private readonly CliRunner _cli;
    private ScriptedOllama _ollama = null!;
    private readonly int _port = TestPorts.Free();

    // The key and NO_PROXY (which both commands extend) carry what naive quoting breaks on (ASCII: the key is a header).
    private const string DoorKey = "door 7'8\"9 $HOME \\ `x`";
    private const string NoProxy = "corp.example,it's \"odd\" \\dir `tick` $5 ${} $";

    private static Dictionary<string, string> Environment(string shell) => new()
    {
        ["SB_TEST_DOOR_KEY"] = DoorKey,
        ["ANTHROPIC_API_KEY"] = "sk-ant-api03-test",
        ["NO_PROXY"] = NoProxy,
        ["SHELL"] = Infrastructure.Shells.PathOf(shell),
    };

    public ActivateCommandTests() => _cli = new CliRunner(_home);

    public async ValueTask InitializeAsync()
    {
        // Slots bridged from the installed models (Custom, Sonnet), one written out (Opus), the Haiku slot and subagents
        _ollama = await ScriptedOllama.StartAsync();
        _home.WriteConfig($$"""
            {
              "port": {{_port}},
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

    [Theory]
    [InlineData("bash")]
    [InlineData("fish")]
    public async Task Activate_EvaluatedByTheUsersShell_SetsExactlyWhatCodeNoDiscoveryGivesClaudeCode(string shell)
    {
        // Given a stand-in claude that records its environment, run by `code --no-discovery`
        var recorded = Path.Combine(_home.Folder, "claude-env.txt");
        var path = await FakeClaude.WriteAsync(Path.Combine(_home.Folder, "bin"), $"env > '{recorded}'\n");
        var environment = Environment(shell);
        var code = await _cli.RunAsync(["code", "--no-discovery", "-p", "hi"], path: path, environment: environment);
        code.ExitCode.ShouldBe(0, code.ToString());

        // When $SHELL's shell, with the same environment, evaluates activate's output (no --shell: it follows $SHELL)
        var plain = await _cli.RunAsync(["-c", "env"], path: path, environment: environment, fileName: Infrastructure.Shells.PathOf(shell));
        var activated = await _cli.RunAsync(["-c", Infrastructure.Shells.Evaluate(shell, $"'{CliRunner.Executable}' activate", "env")],
            path: path, environment: environment, fileName: Infrastructure.Shells.PathOf(shell));
        activated.ExitCode.ShouldBe(0, activated.ToString());

        // Then both added the same variables with the same values, the slot and subagent variables among them
        var baseline = Parse(plain.Stdout);
        var byCode = AddedTo(baseline, Parse(await File.ReadAllTextAsync(recorded, TestContext.Current.CancellationToken)));
        var byActivate = AddedTo(baseline, Parse(activated.Stdout));
        byActivate.ShouldBe(byCode);
        byCode.ShouldContain("ANTHROPIC_CUSTOM_MODEL_OPTION=ollama-local:qwen3:8b");
        byCode.ShouldContain("ANTHROPIC_DEFAULT_SONNET_MODEL=ollama-local:llama3.2:3b");
        byCode.ShouldContain("ANTHROPIC_DEFAULT_SONNET_MODEL_NAME=llama3.2:3b (ollama-local, Sonnet slot)");
        byCode.ShouldContain("ANTHROPIC_DEFAULT_OPUS_MODEL=anthropic:claude-opus-5-5");
        byCode.ShouldContain("ANTHROPIC_DEFAULT_HAIKU_MODEL=ollama-local:qwen3:8b");
        byCode.ShouldContain("CLAUDE_CODE_SUBAGENT_MODEL=ollama-local:llama3.2:3b");
        byCode.ShouldContain($"ANTHROPIC_CUSTOM_HEADERS=x-switchboard-key: {DoorKey}");
        byCode.ShouldContain($"NO_PROXY=127.0.0.1,localhost,{NoProxy}");
        // And the key itself is never printed, only its reference
        activated.Stdout.ShouldContain(DoorKey);
        (await _cli.RunAsync(["activate"], environment: environment)).Stdout.ShouldNotContain("door 7");
    }

    [Fact]
    public async Task Activate_ForPowerShell_WritesEnvAssignmentsInItsQuoting()
    {
        // Given a bash user asking for PowerShell (pwsh is not in Debian: the lines are checked by its quoting rules)
        var printed = await _cli.RunAsync(["activate", "--shell", "powershell"], environment: Environment("bash"));

        // Then every variable is a $env: assignment, literals single-quoted with quotes doubled, the key read from $env:
        printed.ExitCode.ShouldBe(0, printed.ToString());
        var lines = printed.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines.ShouldAllBe(line => line.StartsWith("$env:"));
        lines.ShouldContain($"$env:ANTHROPIC_BASE_URL = 'http://127.0.0.1:{_port}'");
        lines.ShouldContain("$env:ANTHROPIC_CUSTOM_HEADERS = 'x-switchboard-key: ' + $env:SB_TEST_DOOR_KEY");
        lines.ShouldContain("$env:NO_PROXY = '127.0.0.1,localhost,corp.example,it''s \"odd\" \\dir `tick` $5 ${} $'");
        lines.ShouldContain("$env:ANTHROPIC_DEFAULT_SONNET_MODEL_NAME = 'llama3.2:3b (ollama-local, Sonnet slot)'");
        printed.Stdout.ShouldNotContain("door 7");
    }

    [Fact]
    public async Task Activate_WithAnUnknownShell_ExitsWithTheShellsItKnows()
    {
        var printed = await _cli.RunAsync(["activate", "--shell", "tcsh"], environment: Environment("bash"));

        printed.ExitCode.ShouldNotBe(0);
        printed.Stderr.ShouldContain("tcsh");
        printed.Stderr.ShouldContain("fish");
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
