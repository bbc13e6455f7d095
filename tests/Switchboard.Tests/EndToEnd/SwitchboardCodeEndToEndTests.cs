using Shouldly;
using Switchboard.Tests.Infrastructure;

namespace Switchboard.Tests.EndToEnd;

/// <summary>What a person does after reading the README: <c>switchboard code -p …</c> with the real Claude Code.</summary>
public sealed class SwitchboardCodeEndToEndTests : IAsyncLifetime
{
    private readonly TempHome _home = new();
    private readonly ClaudeCodeRunner _claude = new();
    private CliRunner _cli = null!;
    private ScriptedUpstream _upstream = null!;

    public async ValueTask InitializeAsync()
    {
        _cli = new CliRunner(_home);
        var model = new ScriptedAnthropicModel { Decide = _ => new ScriptedAnthropicModel.Text("Answered via the daemon: E2E-CODE-42") };
        _upstream = await ScriptedUpstream.StartAsync(model.HandleAsync);
        _home.WriteConfig(RunningSwitchboard.AnthropicConfig(_upstream.BaseUrl, extraTopLevel: $"\"port\": {TestPorts.Free()},"));
    }

    public async ValueTask DisposeAsync()
    {
        await _cli.StopDaemonAsync();
        await _upstream.DisposeAsync();
        _claude.Dispose();
        _home.Dispose();
    }

    [Fact]
    public async Task SwitchboardCode_HeadlessPrompt_StartsTheDaemonAndClaudeAnswersThroughIt()
    {
        var claudeFolder = Path.GetDirectoryName(ClaudeCodeRunner.ClaudeExecutable)!;
        var environment = _claude.Environment(baseUrl: "set-by-switchboard-code");
        environment.Remove("ANTHROPIC_BASE_URL");
        environment.Remove("PATH");

        var result = await _cli.RunAsync(["code", "-p", "Who answers?", "--dangerously-skip-permissions"],
            path: $"{claudeFolder}:/usr/bin:/bin", environment: environment);

        result.ExitCode.ShouldBe(0, result.ToString());
        result.Stdout.ShouldContain("Answered via the daemon: E2E-CODE-42", customMessage: result.ToString());
        _upstream.Requests.ShouldContain(r => r.Path == "/v1/messages" && r.BodyText.Contains("Who answers?"));
        (await _cli.RunAsync("status")).ExitCode.ShouldBe(0);
    }
}
