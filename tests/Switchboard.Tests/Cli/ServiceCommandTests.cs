using Shouldly;
using Switchboard.Cli.Service;
using Switchboard.Config;
using Switchboard.Tests.Infrastructure;

namespace Switchboard.Tests.Cli;

/// <summary><c>service install|uninstall</c> against a temp XDG_CONFIG_HOME, with and without a systemctl on PATH.</summary>
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

    private void FakeSystemctl(int exitCode)
    {
        var file = Path.Combine(_bin, "systemctl");
        File.WriteAllText(file, $"#!/bin/bash\necho \"$*\" >> '{SystemctlLog}'\necho 'systemctl says no' >&2\nexit {exitCode}\n");
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
}
