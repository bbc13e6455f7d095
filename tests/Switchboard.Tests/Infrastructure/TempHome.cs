using Switchboard.Config;

namespace Switchboard.Tests.Infrastructure;

/// <summary>A fresh Switchboard home folder for one test, deleted afterwards.</summary>
public sealed class TempHome : IDisposable
{
    public TempHome()
    {
        Folder = Path.Combine(Path.GetTempPath(), "switchboard-test-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(Folder);
        Home = new SwitchboardHome(Folder);
    }

    public string Folder { get; }
    public SwitchboardHome Home { get; }

    public void WriteConfig(string json) => File.WriteAllText(Home.ConfigFile, json);

    /// <summary>
    /// The environment of a user who has just installed Claude Code: a HOME and Claude config folder of their own inside
    /// this folder (created), and no API key, auth token or model of the machine's, unless <paramref name="extra"/> sets one.
    /// </summary>
    public Dictionary<string, string> FreshClaudeUser(params (string Name, string Value)[] extra)
    {
        var user = Path.Combine(Folder, "user");
        Directory.CreateDirectory(Path.Combine(user, ".claude"));
        var environment = new Dictionary<string, string>
        {
            ["HOME"] = user,
            ["CLAUDE_CONFIG_DIR"] = Path.Combine(user, ".claude"),
            ["ANTHROPIC_API_KEY"] = "",
            ["ANTHROPIC_AUTH_TOKEN"] = "",
            ["ANTHROPIC_MODEL"] = "",
        };
        foreach (var (name, value) in extra) environment[name] = value;
        return environment;
    }

    public void Dispose()
    {
        try { Directory.Delete(Folder, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
