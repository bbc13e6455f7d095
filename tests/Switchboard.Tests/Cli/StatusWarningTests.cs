using Shouldly;
using Switchboard.Tests.Infrastructure;

namespace Switchboard.Tests.Cli;

/// <summary><c>status</c> says when the daemon is locked because its apiKey variable is empty, and what to do.</summary>
public sealed class StatusWarningTests : IAsyncLifetime
{
    private const string Variable = "SWITCHBOARD_STATUS_TEST_KEY_NEVER_SET";
    private readonly TempHome _home = new();
    private readonly CliRunner _cli;

    public StatusWarningTests() => _cli = new CliRunner(_home);

    public ValueTask InitializeAsync()
    {
        _home.WriteConfig(RunningSwitchboard.AnthropicConfig("http://127.0.0.1:9",
            extraTopLevel: $"\"port\": {TestPorts.Free()}, \"apiKey\": \"${Variable}\","));
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        await _cli.StopDaemonAsync();
        _home.Dispose();
    }

    [Fact]
    public async Task Status_ApiKeyVariableEmpty_WarnsAndNamesTheVariable()
    {
        var start = await _cli.RunAsync("start");
        start.ExitCode.ShouldBe(0, start.ToString());

        var status = await _cli.RunAsync("status");

        status.ExitCode.ShouldBe(0, status.ToString());
        status.Stdout.ShouldContain("warning");
        status.Stdout.ShouldContain(Variable);
    }
}
