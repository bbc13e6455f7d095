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

    public void Dispose()
    {
        try { Directory.Delete(Folder, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
