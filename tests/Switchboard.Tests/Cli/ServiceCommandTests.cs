using System.Diagnostics;
using System.Xml.Linq;
using Shouldly;
using Spectre.Console.Testing;
using Switchboard.Cli.Commands;
using Switchboard.Cli.Service;
using Switchboard.Config;
using Switchboard.Tests.Infrastructure;

namespace Switchboard.Tests.Cli;

/// <summary>
/// <c>service install|uninstall</c> against a temp XDG_CONFIG_HOME (systemd) or HOME (launchd), with and without the
/// service manager's tool on PATH. The launchd agent is also run the way launchd runs it, on this machine.
/// </summary>
public sealed class ServiceCommandTests : IDisposable
{
    private readonly TempHome _home = new();
    private readonly CliRunner _cli;
    private readonly string _xdg;
    private readonly string _bin;

    public ServiceCommandTests()
    {
        _cli = new CliRunner(_home);
        _xdg = Path.Combine(_home.Folder, "xdg");
        _bin = Path.Combine(_home.Folder, "bin");
        Directory.CreateDirectory(_bin);
    }

    public void Dispose() => _home.Dispose();

    private string Unit => Path.Combine(_xdg, "systemd", "user", "switchboard.service");
    private string SystemctlLog => Path.Combine(_home.Folder, "systemctl.log");

    private Task<ChildProcess.Result> RunAsync(string verb, string path) => _cli.RunAsync(["service", verb], path: path,
        environment: new Dictionary<string, string> { ["XDG_CONFIG_HOME"] = _xdg, ["HOME"] = _home.Folder });

    private void FakeSystemctl(int exitCode) =>
        FakeTool("systemctl", SystemctlLog, $"echo 'systemctl says no' >&2\nexit {exitCode}\n");

    /// <summary>A service-manager tool on <c>_bin</c> that notes its arguments in <paramref name="log"/>, then runs <paramref name="then"/>.</summary>
    private void FakeTool(string name, string log, string then = "")
    {
        var file = Path.Combine(_bin, name);
        File.WriteAllText(file, $"#!/bin/sh\necho \"$*\" >> '{log}'\n{then}");
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    [Fact]
    public async Task Install_WithSystemctl_WritesUnitWithHomeAndEnablesIt_UninstallDisablesAndRemoves()
    {
        if (!OperatingSystem.IsLinux()) return;
        FakeSystemctl(0);

        var install = await RunAsync("install", $"{_bin}:/usr/bin:/bin");

        install.ExitCode.ShouldBe(0, install.ToString());
        var unit = File.ReadAllText(Unit);
        unit.ShouldContain($"Environment=\"SWITCHBOARD_HOME={_home.Folder}\"");
        unit.ShouldContain($"ExecStart={CliRunner.Executable} serve\n");
        unit.ShouldContain("WantedBy=default.target");
        File.ReadAllText(SystemctlLog).ShouldBe("--user daemon-reload\n--user enable --now switchboard.service\n");
        install.Stdout.ShouldContain("enabled and started");

        var uninstall = await RunAsync("uninstall", $"{_bin}:/usr/bin:/bin");

        uninstall.ExitCode.ShouldBe(0, uninstall.ToString());
        File.Exists(Unit).ShouldBeFalse();
        File.ReadAllText(SystemctlLog).ShouldEndWith("--user disable --now switchboard.service\n--user daemon-reload\n");
    }

    [Fact]
    public async Task Install_WithoutSystemd_WritesUnitAndSaysWhatToRun()
    {
        if (!OperatingSystem.IsLinux()) return;

        var install = await RunAsync("install", _bin);

        install.ExitCode.ShouldBe(3, install.ToString());
        File.Exists(Unit).ShouldBeTrue();
        install.Stdout.ShouldContain("systemctl was not found on PATH, so the service was not enabled");
        install.Stdout.ShouldContain("To finish, run: systemctl --user daemon-reload && systemctl --user enable --now switchboard.service");
    }

    [Fact]
    public async Task Install_SystemctlFails_ShowsItsErrorAndWhatToRun()
    {
        if (!OperatingSystem.IsLinux()) return;
        FakeSystemctl(1);

        var install = await RunAsync("install", $"{_bin}:/usr/bin:/bin");

        install.ExitCode.ShouldBe(3, install.ToString());
        install.Stdout.ShouldContain("`systemctl --user daemon-reload` failed (exit 1): systemctl says no");
        install.Stdout.ShouldContain("To finish, run:");
    }

    [Fact]
    public void LaunchdAgent_RunsServeWithHomeAndKeepsAlive()
    {
        var home = new SwitchboardHome("/Users/me/sb & co");

        var plist = ServiceUnit.Launchd(["/usr/local/bin/switchboard", "serve"], home);

        plist.ShouldContain("<key>Label</key><string>dev.switchboard.router</string>");
        plist.ShouldContain("    <string>/usr/local/bin/switchboard</string>\n    <string>serve</string>");
        plist.ShouldContain("<key>SWITCHBOARD_HOME</key><string>/Users/me/sb &amp; co</string>");
        plist.ShouldContain("<key>KeepAlive</key><true/>");
        ServiceUnit.LaunchdPath(name => name == "HOME" ? "/Users/me" : null).ShouldBe("/Users/me/Library/LaunchAgents/dev.switchboard.router.plist");
    }

    [Fact]
    public void SystemdUnit_QuotesPathsWithSpaces()
    {
        var unit = ServiceUnit.Systemd(["/opt/my tools/switchboard", "serve"], new SwitchboardHome("/h"));

        unit.ShouldContain("ExecStart=\"/opt/my tools/switchboard\" serve\n");
        ServiceUnit.SystemdPath(name => name == "HOME" ? "/home/me" : null).ShouldBe("/home/me/.config/systemd/user/switchboard.service");
    }

    private string LaunchctlLog => Path.Combine(_home.Folder, "launchctl.log");
    private string Agent => Path.Combine(_home.Folder, "Library", "LaunchAgents", "dev.switchboard.router.plist");

    /// <summary>A launchctl that notes its arguments and succeeds.</summary>
    private void FakeLaunchctl() => FakeTool("launchctl", LaunchctlLog);

    /// <summary>A console wide enough that no path is wrapped.</summary>
    private static TestConsole Wide()
    {
        var console = new TestConsole();
        console.Profile.Width = 1000;
        return console;
    }

    private int RunLaunchd(bool install, string path, TestConsole console) => ServiceCommand.Run(install,
        new ServiceCommand.Machine(ServiceCommand.Manager.Launchd, _home.Home,
            name => name switch { "HOME" => _home.Folder, "PATH" => path, _ => null }, [CliRunner.Executable, "serve"]),
        console);

    [Fact]
    public async Task Launchd_InstallWritesAnAgentLaunchdCanRun_LoadsIt_UninstallUnloadsAndRemoves()
    {
        var port = TestPorts.Free();
        _home.WriteConfig("{\"port\": " + port + ", \"providers\": {\"anthropic\": {\"type\": \"anthropic\"}}}");
        FakeLaunchctl();

        // When the service is installed where launchd is the service manager
        var console = Wide();
        var installed = RunLaunchd(install: true, _bin, console);

        // Then the agent is in ~/Library/LaunchAgents and launchctl was asked to load it
        installed.ShouldBe(0, console.Output);
        File.ReadAllText(LaunchctlLog).ShouldBe($"load -w {Agent}\n");
        console.Output.ShouldContain("loaded dev.switchboard.router");

        // And the agent is a property list saying what launchd should run: started at login, kept alive
        var agent = LaunchdAgent.Parse(File.ReadAllText(Agent));
        agent["Label"].ShouldBe("dev.switchboard.router");
        agent["RunAtLoad"].ShouldBe(true);
        agent["KeepAlive"].ShouldBe(true);
        agent["ProgramArguments"].ShouldBe(new List<object> { CliRunner.Executable, "serve" });
        agent["EnvironmentVariables"].ShouldBe(new Dictionary<string, object> { ["SWITCHBOARD_HOME"] = _home.Folder });
        agent["StandardOutPath"].ShouldBe(_home.Home.LogFile);

        // When launchd runs it (here: its program with its environment, as launchd would)
        var arguments = (List<object>)agent["ProgramArguments"];
        var run = new ProcessStartInfo((string)arguments[0]) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments.Skip(1)) run.ArgumentList.Add((string)argument);
        foreach (var (name, value) in (Dictionary<string, object>)agent["EnvironmentVariables"]) run.Environment[name] = (string)value;
        run.Environment["DOTNET_ROOT"] = CliRunner.DotnetRoot;
        using var service = Process.Start(run)!;
        try
        {
            // Then the router serves the home's config
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
            var health = await Eventually.WaitAsync(async () =>
            {
                try { return await http.GetStringAsync("/health", TestContext.Current.CancellationToken); }
                catch (HttpRequestException) { return service.HasExited ? $"exited: {await service.StandardError.ReadToEndAsync()}" : ""; }
            }, body => body.Length > 0, body => $"the agent's router to answer /health ({body})");
            health.ShouldContain($"\"file\":\"{_home.Home.ConfigFile}\"");
        }
        finally
        {
            service.Kill(entireProcessTree: true);
        }

        // When it is uninstalled
        var removed = RunLaunchd(install: false, _bin, console);

        // Then launchctl unloaded it and the file is gone
        removed.ShouldBe(0, console.Output);
        File.ReadAllLines(LaunchctlLog).ShouldBe([$"load -w {Agent}", $"unload -w {Agent}"]);
        File.Exists(Agent).ShouldBeFalse();
    }

    [Fact]
    public void Launchd_InstallAgain_UnloadsTheOldDefinitionBeforeLoadingTheNewOne()
    {
        FakeLaunchctl();

        RunLaunchd(install: true, _bin, Wide()).ShouldBe(0);
        RunLaunchd(install: true, _bin, Wide()).ShouldBe(0);

        File.ReadAllLines(LaunchctlLog).ShouldBe([$"load -w {Agent}", $"unload -w {Agent}", $"load -w {Agent}"]);
    }

    [Fact]
    public void Launchd_WithoutLaunchctl_WritesTheAgentAndSaysWhatToRun()
    {
        var console = Wide();

        var installed = RunLaunchd(install: true, _bin, console);

        installed.ShouldBe(ServiceCommand.NotActivated);
        LaunchdAgent.Parse(File.ReadAllText(Agent))["Label"].ShouldBe("dev.switchboard.router");
        console.Output.ShouldContain($"To finish, run: launchctl load -w {Agent}");
    }

    /// <summary>Reads an XML property list as launchd does: dict, array, string, true and false; anything else fails.</summary>
    private static class LaunchdAgent
    {
        public static Dictionary<string, object> Parse(string xml)
        {
            var document = XDocument.Parse(xml);
            document.DocumentType!.PublicId.ShouldBe("-//Apple//DTD PLIST 1.0//EN");
            var root = document.Root!;
            root.Name.LocalName.ShouldBe("plist");
            return (Dictionary<string, object>)Value(root.Elements().Single());
        }

        private static object Value(XElement element) => element.Name.LocalName switch
        {
            "dict" => Dict(element),
            "array" => element.Elements().Select(Value).ToList(),
            "string" => element.Value,
            "true" => true,
            "false" => false,
            var other => throw new ShouldAssertException($"unexpected <{other}> in the property list"),
        };

        private static Dictionary<string, object> Dict(XElement dict)
        {
            var items = dict.Elements().ToList();
            (items.Count % 2).ShouldBe(0, "a dict alternates <key> and value");
            var result = new Dictionary<string, object>();
            for (var i = 0; i < items.Count; i += 2)
            {
                items[i].Name.LocalName.ShouldBe("key");
                result.Add(items[i].Value, Value(items[i + 1]));
            }
            return result;
        }
    }
}
