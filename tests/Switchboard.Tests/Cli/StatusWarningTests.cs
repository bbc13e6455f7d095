using Shouldly;
using Switchboard.Tests.Infrastructure;

namespace Switchboard.Tests.Cli;

/// <summary>
/// <c>status</c> against a daemon with an apiKey: it sends the key, so it shows what the daemon shows only to key
/// holders; and when the key's variable is empty it says the daemon is locked, and which variable to set.
/// </summary>
public sealed class StatusWarningTests : IAsyncDisposable
{
    private const string Variable = "SWITCHBOARD_STATUS_TEST_KEY_NEVER_SET";
    private readonly TempHome _home = new();
    private readonly CliRunner _cli;

    public StatusWarningTests() => _cli = new CliRunner(_home);

    public async ValueTask DisposeAsync()
    {
        await _cli.StopDaemonAsync();
        _home.Dispose();
    }

    private async Task StartWithKeyAsync(string apiKey)
    {
        _home.WriteConfig(RunningSwitchboard.AnthropicConfig("http://tester:url-pass-0001@127.0.0.1:9",
            extraTopLevel: $"\"port\": {TestPorts.Free()}, \"apiKey\": \"{apiKey}\","));
        var start = await _cli.RunAsync("start");
        start.ExitCode.ShouldBe(0, start.ToString());
        start.Stdout.ShouldNotContain("url-pass-0001");
    }

    [Fact]
    public async Task Status_ApiKeySet_SendsItAndShowsTheDaemonsConfigAndProvidersMasked()
    {
        await StartWithKeyAsync("status-test-key-0123456789");

        var status = await _cli.RunAsync("status");

        status.ExitCode.ShouldBe(0, status.ToString());
        status.Stdout.ShouldContain("(valid)");
        status.Stdout.ShouldContain("http://tester:********@127.0.0.1:9");
        status.Stdout.ShouldNotContain("url-pass-0001");
        status.Stdout.ShouldNotContain("only with its apiKey");
    }

    [Fact]
    public async Task Status_ApiKeyVariableEmpty_WarnsAndNamesTheVariable()
    {
        await StartWithKeyAsync("$" + Variable);

        var status = await _cli.RunAsync("status");

        status.ExitCode.ShouldBe(0, status.ToString());
        status.Stdout.ShouldContain("warning");
        status.Stdout.ShouldContain(Variable);
    }
}
