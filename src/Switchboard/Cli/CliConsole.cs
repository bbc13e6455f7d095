using Spectre.Console;

namespace Switchboard.Cli;

/// <summary>
/// Spectre consoles for what people read. When the output is not a terminal (a pipe, a log, a test) Spectre assumes
/// 80 columns and wraps messages mid-sentence; a wide profile keeps each message on its line.
/// </summary>
internal static class CliConsole
{
    public static IAnsiConsole Out { get; } = Create(Console.Out, Console.IsOutputRedirected);
    public static IAnsiConsole Error { get; } = Create(Console.Error, Console.IsErrorRedirected);

    private static IAnsiConsole Create(TextWriter writer, bool redirected)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(writer) });
        if (redirected) console.Profile.Width = 240;
        return console;
    }
}
