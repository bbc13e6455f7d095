namespace Switchboard.Cli;

/// <summary>How to run this same program again: the native binary itself, or <c>dotnet switchboard.dll</c>.</summary>
internal static class SelfInvocation
{
    public static (string File, IReadOnlyList<string> Arguments) Command()
    {
        var process = Environment.ProcessPath ?? throw new InvalidOperationException("cannot tell which program is running");
        if (!Path.GetFileNameWithoutExtension(process).Equals("dotnet", StringComparison.OrdinalIgnoreCase)) return (process, []);
        return (process, [Path.Combine(AppContext.BaseDirectory, "switchboard.dll")]);
    }
}
