using Shouldly;
using Switchboard.Tests.Infrastructure;

namespace Switchboard.Tests.Cli;

/// <summary><c>switchboard ui</c>: starts the daemon when needed and opens the dashboard with <c>$BROWSER</c>.</summary>
public sealed class UiCommandTests : IAsyncLifetime
{
    private readonly TempHome _home = new();
    private readonly CliRunner _cli;
    private int _port;

    public UiCommandTests() => _cli = new CliRunner(_home);

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync()
    {
        _port = TestPorts.Free();
        _home.WriteConfig(RunningSwitchboard.AnthropicConfig("https://api.anthropic.com", extraTopLevel: $"\"port\": {_port},"));
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        await _cli.StopDaemonAsync();
        _home.Dispose();
    }

    [Fact]
    public async Task Ui_DaemonStopped_StartsItAndOpensTheDashboardInTheBrowser()
    {
        // Given a "browser" that notes the address it was asked to open
        var opened = Path.Combine(_home.Folder, "opened.txt");
        var browser = Path.Combine(_home.Folder, "browser.sh");
        await File.WriteAllTextAsync(browser, $"#!/bin/sh\necho \"$1\" > '{opened}'\n", Cancel);
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(browser, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        var result = await _cli.RunAsync(["ui"], environment: new Dictionary<string, string> { ["BROWSER"] = browser });

        // Then the daemon runs, and the browser was sent to its dashboard, which answers
        result.ExitCode.ShouldBe(0, result.ToString());
        var url = $"http://127.0.0.1:{_port}/ui/";
        result.Stdout.ShouldContain(url);
        await Eventually.WaitAsync(() => File.Exists(opened), "the browser script to run");
        (await File.ReadAllTextAsync(opened, Cancel)).Trim().ShouldBe(url);
        using var http = new HttpClient();
        (await http.GetStringAsync(url, Cancel)).ShouldContain("<title>Switchboard</title>");
    }
}
