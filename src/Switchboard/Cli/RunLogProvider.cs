using Microsoft.Extensions.Logging;
using Switchboard.Config;

namespace Switchboard.Cli;

/// <summary>
/// Log lines of a router that runs inside <c>switchboard code</c>, appended to a file in the home folder: the
/// terminal belongs to Claude Code, and a line written there would break its screen.
/// </summary>
internal sealed class RunLogProvider(SwitchboardHome home) : ILoggerProvider
{
    private readonly StreamWriter _writer = new(new FileStream(FileFor(home), FileMode.Append, FileAccess.Write, FileShare.ReadWrite)) { AutoFlush = true };
    private readonly Lock _lock = new();

    public static string FileFor(SwitchboardHome home) => Path.Combine(home.Folder, "switchboard-code.log");

    public ILogger CreateLogger(string categoryName) => new FileLogger(this, categoryName);

    public void Dispose() => _writer.Dispose();

    private void Write(string line)
    {
        lock (_lock) _writer.WriteLine(line);
    }

    private sealed class FileLogger(RunLogProvider provider, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var line = $"{DateTime.Now:yyyy-MM-dd HH:mm:ss} {logLevel}: {category}: {formatter(state, exception)}";
            provider.Write(exception is null ? line : $"{line}\n{exception}");
        }
    }
}
