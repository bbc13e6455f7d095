using System.Security;
using Switchboard.Config;

namespace Switchboard.Cli.Service;

/// <summary>
/// The files that run <c>switchboard serve</c> at login: a systemd user unit on Linux, a launchd agent on macOS.
/// Both carry <c>SWITCHBOARD_HOME</c> so the service serves the same config the CLI edits.
/// </summary>
internal static class ServiceUnit
{
    public const string SystemdName = "switchboard.service";
    public const string LaunchdLabel = "dev.switchboard.router";

    /// <summary><c>$XDG_CONFIG_HOME/systemd/user/switchboard.service</c>, <c>~/.config/…</c> when unset.</summary>
    public static string SystemdPath(Func<string, string?> env)
    {
        var config = env("XDG_CONFIG_HOME") is { Length: > 0 } xdg ? xdg : Path.Combine(UserHome(env), ".config");
        return Path.Combine(config, "systemd", "user", SystemdName);
    }

    public static string LaunchdPath(Func<string, string?> env) =>
        Path.Combine(UserHome(env), "Library", "LaunchAgents", LaunchdLabel + ".plist");

    public static string Systemd(IReadOnlyList<string> command, SwitchboardHome home) => $"""
        [Unit]
        Description=Switchboard model router for Claude Code
        After=network-online.target
        Wants=network-online.target

        [Service]
        Type=simple
        Environment="SWITCHBOARD_HOME={home.Folder}"
        ExecStart={string.Join(' ', command.Select(QuoteSystemd))}
        Restart=on-failure
        RestartSec=5

        [Install]
        WantedBy=default.target

        """;

    public static string Launchd(IReadOnlyList<string> command, SwitchboardHome home) => $"""
        <?xml version="1.0" encoding="UTF-8"?>
        <!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
        <plist version="1.0">
        <dict>
          <key>Label</key><string>{LaunchdLabel}</string>
          <key>ProgramArguments</key>
          <array>
        {string.Join("\n", command.Select(arg => $"    <string>{SecurityElement.Escape(arg)}</string>"))}
          </array>
          <key>EnvironmentVariables</key>
          <dict>
            <key>SWITCHBOARD_HOME</key><string>{SecurityElement.Escape(home.Folder)}</string>
          </dict>
          <key>RunAtLoad</key><true/>
          <key>KeepAlive</key><true/>
          <key>StandardOutPath</key><string>{SecurityElement.Escape(home.LogFile)}</string>
          <key>StandardErrorPath</key><string>{SecurityElement.Escape(home.LogFile)}</string>
        </dict>
        </plist>

        """;

    /// <summary>The command the service runs: this executable (or <c>dotnet switchboard.dll</c>) with <c>serve</c>.</summary>
    public static IReadOnlyList<string> ServeCommand()
    {
        var self = SelfInvocation.Command();
        return [self.File, .. self.Arguments, "serve"];
    }

    private static string UserHome(Func<string, string?> env) =>
        env("HOME") is { Length: > 0 } home ? home : Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);

    /// <summary>systemd splits ExecStart on spaces; quote words that hold one, escaping quotes and backslashes.</summary>
    private static string QuoteSystemd(string word) =>
        word.IndexOfAny([' ', '"', '\\', '\t']) < 0 ? word : "\"" + word.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";
}
