using System.Diagnostics;

namespace Switchboard.Tests.Infrastructure;

/// <summary>Runs a program to completion with a bounded wait, capturing both outputs; kills it if time runs out.</summary>
public static class ChildProcess
{
    public sealed record Result(int ExitCode, string Stdout, string Stderr)
    {
        public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Stdout}\n--- stderr\n{Stderr}";
    }

    public static async Task<Result> RunAsync(ProcessStartInfo info, TimeSpan timeout, string? stdin = null)
    {
        info.RedirectStandardInput = true;
        info.RedirectStandardOutput = true;
        info.RedirectStandardError = true;
        info.UseShellExecute = false;
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (stdin is not null) await process.StandardInput.WriteAsync(stdin);
        process.StandardInput.Close();
        using var limit = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(limit.Token);
            // Bounded too: a process it started may still hold our pipes open after it exits.
            await Task.WhenAll(stdout, stderr).WaitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            var exited = process.HasExited;
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{info.FileName} {string.Join(' ', info.ArgumentList)} did not finish within {timeout.TotalSeconds:0} s" +
                                       (exited ? " (it exited, but something it started kept its output open)" : "") + "\n" +
                                       $"--- stdout\n{Finished(stdout)}\n--- stderr\n{Finished(stderr)}");
        }
        return new Result(process.ExitCode, await stdout, await stderr);
    }

    private static string Finished(Task<string> output) => output.IsCompletedSuccessfully ? output.Result : "(still open)";
}
