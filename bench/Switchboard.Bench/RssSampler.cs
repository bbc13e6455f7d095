using System.Globalization;

namespace Switchboard.Bench;

/// <summary>A process's resident memory, from <c>/proc/PID/status</c>, sampled every 200 ms for the peak between resets.</summary>
internal sealed class RssSampler : IDisposable
{
    private readonly int _pid;
    private readonly CancellationTokenSource _stop = new();
    private double _peak;

    public RssSampler(int pid)
    {
        _pid = pid;
        _ = SampleAsync();
    }

    public double Peak => Math.Max(Volatile.Read(ref _peak), Now());

    public double Now() => Read(_pid, "VmRSS");

    public void ResetPeak() => Volatile.Write(ref _peak, Now());

    /// <summary>A field of <c>/proc/PID/status</c> in MB (VmRSS now, VmHWM the most ever).</summary>
    public static double Read(int pid, string field)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            if (line.StartsWith(field + ":", StringComparison.Ordinal))
                return double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;
        throw new InvalidOperationException($"no {field} for pid {pid}");
    }

    private async Task SampleAsync()
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(200));
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token))
            {
                var now = Now();
                if (now > Volatile.Read(ref _peak)) Volatile.Write(ref _peak, now);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException)
        {
            // Stopped, or the process is gone.
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _stop.Dispose();
    }
}
