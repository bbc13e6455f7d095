using System.Net;
using System.Text.Json.Nodes;
using Shouldly;
using Switchboard.Providers.Anthropic;
using Switchboard.Tests.Infrastructure;

namespace Switchboard.Tests.Platform;

/// <summary>
/// The Windows build, run for real (under Wine): the home folder is <c>%USERPROFILE%\.switchboard</c>, the daemon
/// starts detached and is stopped by pid, <c>code</c> finds <c>claude.cmd</c> on PATH, and discovery mode reads the
/// login from <c>%USERPROFILE%\.claude\.credentials.json</c>. The upstream is scripted on this machine's loopback.
/// </summary>
public sealed class WindowsUnderWineTests(WindowsBuild windows) : IClassFixture<WindowsBuild>, IAsyncLifetime
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;
    private ScriptedUpstream _anthropic = null!;
    private int _port;

    private string SwitchboardFolder => Path.Combine(windows.UserProfile, ".switchboard");
    private const string WindowsConfigFile = WindowsBuild.WindowsUserProfile + @"\.switchboard\config.json";

    public async ValueTask InitializeAsync()
    {
        _anthropic = await ScriptedUpstream.StartAsync((context, _) => AnthropicWire.WriteSseAsync(context, AnthropicWire.TextStream("m", "via windows")));
        _port = TestPorts.Free();
        // Both tests share the fixture's prefix, so each starts from an empty home: no ledger rows from the other
        if (Directory.Exists(SwitchboardFolder)) Directory.Delete(SwitchboardFolder, recursive: true);
        Directory.CreateDirectory(SwitchboardFolder);
        File.WriteAllText(Path.Combine(SwitchboardFolder, "config.json"),
            RunningSwitchboard.AnthropicConfig(_anthropic.BaseUrl, extraTopLevel: $"\"port\": {_port},"));
    }

    public async ValueTask DisposeAsync()
    {
        await windows.RunAsync(["stop"]);
        await _anthropic.DisposeAsync();
    }

    [Fact]
    public async Task Daemon_LivesInTheUserProfile_ServesAndStopsByPid()
    {
        // When the daemon is started (no SWITCHBOARD_HOME), with our stdout a pipe
        var start = await windows.RunAsync(["start"]);

        // Then start returned (the daemon did not inherit the pipe), and the home is %USERPROFILE%\.switchboard
        start.ExitCode.ShouldBe(0, start.ToString());
        start.Stdout.ShouldContain($"config: {WindowsConfigFile}");
        start.Stdout.ShouldContain($"http://127.0.0.1:{_port}");
        File.Exists(Path.Combine(SwitchboardFolder, "switchboard.pid")).ShouldBeTrue();

        // And the daemon outlives the start command and routes requests to the upstream
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{_port}") };
        using (var response = await http.PostAsync("/v1/messages", AnthropicWire.Json(AnthropicWire.Request()), Cancel))
            (await response.Content.ReadAsStringAsync(Cancel)).ShouldContain("via windows");

        // And the request is in the usage ledger (SQLite through its Windows native library), as `usage` reads it
        await Eventually.WaitAsync(async () => await windows.RunAsync(["usage", "--json"]),
            usage => usage.ExitCode == 0 && usage.Stdout.TrimStart().StartsWith('[') &&
                     JsonNode.Parse(usage.Stdout)![0]!["total"]!["requests"]!.GetValue<long>() == 1,
            usage => $"the ledger to hold the request ({usage})");

        var status = await windows.RunAsync(["status"]);
        status.ExitCode.ShouldBe(0, status.ToString());
        status.Stdout.ShouldContain("running");
        status.Stdout.ShouldContain($"{WindowsConfigFile} (valid)");

        // When it is stopped
        var stop = await windows.RunAsync(["stop"]);

        // Then the process is gone: status says stopped, the pid file is removed, nothing listens
        stop.ExitCode.ShouldBe(0, stop.ToString());
        stop.Stdout.ShouldContain("switchboard stopped");
        var after = await windows.RunAsync(["status"]);
        after.ExitCode.ShouldBe(3, after.ToString());
        File.Exists(Path.Combine(SwitchboardFolder, "switchboard.pid")).ShouldBeFalse();
        await Should.ThrowAsync<HttpRequestException>(() => http.GetAsync("/health", Cancel));
    }

    [Fact]
    public async Task Code_RunsClaudeCmdFromPath_WiredToTheRouter_AndTheSentinelBecomesTheProfilesLogin()
    {
        // Given Claude Code as npm installs it on Windows (claude.cmd), played by a batch file that notes what it got
        var tools = Path.Combine(windows.Prefix, "drive_c", "tools");
        Directory.CreateDirectory(tools);
        var seen = Path.Combine(tools, "seen.txt");
        File.Delete(seen);
        File.WriteAllText(Path.Combine(tools, "claude.cmd"), string.Join("\r\n",
            "@echo off",
            "echo BASE=%ANTHROPIC_BASE_URL%>\"%~dp0seen.txt\"",
            "echo TOKEN=%ANTHROPIC_AUTH_TOKEN%>>\"%~dp0seen.txt\"",
            "echo ARGS=%*>>\"%~dp0seen.txt\"",
            "exit /b 7", ""));
        // And a subscription login where Claude Code keeps it on Windows
        var claudeFolder = Path.Combine(windows.UserProfile, ".claude");
        Directory.CreateDirectory(claudeFolder);
        File.WriteAllText(Path.Combine(claudeFolder, ".credentials.json"), new JsonObject
        {
            ["claudeAiOauth"] = new JsonObject { ["accessToken"] = "sk-ant-oat01-WINDOWS", ["expiresAt"] = DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeMilliseconds() },
        }.ToJsonString());

        // When `switchboard code` runs with claude.cmd's folder on PATH
        var code = await windows.RunAsync(["code", "--non-interactive", "-p", "hello"], new Dictionary<string, string> { ["WINEPATH"] = @"C:\tools" });

        // Then claude.cmd ran with the router's address and the discovery sentinel, and its exit code came back
        code.ExitCode.ShouldBe(7, code.ToString());
        var noted = File.ReadAllLines(seen);
        noted.ShouldContain($"BASE=http://127.0.0.1:{_port}");
        noted.ShouldContain($"TOKEN={SubscriptionToken.Sentinel}");
        noted.ShouldContain("ARGS=-p hello");
        code.Stderr.ShouldContain("discovery    on");

        // And the router it left running swaps the sentinel for the token from %USERPROFILE%\.claude\.credentials.json
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{_port}") };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/messages") { Content = AnthropicWire.Json(AnthropicWire.Request(stream: false)) };
        request.Headers.TryAddWithoutValidation("authorization", "Bearer " + SubscriptionToken.Sentinel);
        using var response = await http.SendAsync(request, Cancel);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync(Cancel));
        _anthropic.Requests.Single().Header("authorization").ShouldBe("Bearer sk-ant-oat01-WINDOWS");
    }
}
