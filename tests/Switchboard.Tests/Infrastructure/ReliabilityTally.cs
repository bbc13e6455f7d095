namespace Switchboard.Tests.Infrastructure;

/// <summary>
/// What the reliability suite ran, one line per case, appended to <c>artifacts/reliability.tsv</c> in the test output
/// folder; <c>test.sh</c> prints the summary line from it (<c>N faults, M bad inputs, K load runs: 0 crashes, …</c>).
/// A case runs through <see cref="CaseAsync"/>, which records how it ended: held, or the kind of failure it met.
/// </summary>
public static class ReliabilityTally
{
    public const string Fault = "fault";
    public const string BadInput = "bad-input";
    public const string Load = "load";
    public const string Security = "security";

    private static readonly Lock Writing = new();

    public static string File { get; } = Path.Combine(AppContext.BaseDirectory, "artifacts", "reliability.tsv");

    /// <summary>
    /// Runs one case and records it. A <see cref="CrashException"/>, <see cref="MalformedStreamException"/> or
    /// <see cref="LeakException"/> is counted as such; any other failure as failed. The exception is rethrown.
    /// </summary>
    public static async Task CaseAsync(string kind, string name, Func<Task> run, Func<double?>? peakRssMegabytes = null)
    {
        try
        {
            await run();
        }
        catch (Exception ex)
        {
            Record(kind, name, ex switch
            {
                CrashException => "crash",
                MalformedStreamException => "malformed",
                LeakException => "leak",
                _ => "failed",
            }, null);
            throw;
        }
        Record(kind, name, "held", peakRssMegabytes?.Invoke());
    }

    private static void Record(string kind, string name, string outcome, double? rss)
    {
        var line = string.Join('\t', kind, name.Replace('\t', ' ').Replace('\n', ' '), outcome,
            rss is { } mb ? mb.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture) : "-") + "\n";
        lock (Writing)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(File)!);
            System.IO.File.AppendAllText(File, line);
        }
    }
}

/// <summary>The daemon died, or logged an unhandled exception.</summary>
public sealed class CrashException(string message) : Exception(message);

/// <summary>A reply stream broke the Messages API's event grammar.</summary>
public sealed class MalformedStreamException(string message) : Exception(message);

/// <summary>A secret reached a place it must not, or a connection was left open.</summary>
public sealed class LeakException(string message) : Exception(message);
