namespace Switchboard.Tests.Infrastructure;

/// <summary>A stand-in <c>claude</c>: a shell script in a folder of its own, to put first on PATH.</summary>
public static class FakeClaude
{
    public static async Task<string> WriteAsync(string folder, string script)
    {
        Directory.CreateDirectory(folder);
        var file = Path.Combine(folder, "claude");
        await File.WriteAllTextAsync(file, "#!/bin/bash\n" + script.Replace("\r\n", "\n"));
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return $"{folder}:/usr/bin:/bin";
    }
}
