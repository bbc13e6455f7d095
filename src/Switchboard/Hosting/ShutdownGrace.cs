using Microsoft.Extensions.Hosting;
using Switchboard.Anthropic;

namespace Switchboard.Hosting;

/// <summary>
/// What a reply in flight gets when the daemon is told to stop: <c>shutdownGraceSeconds</c> to finish, then its stream
/// ends with an <c>overloaded_error</c> event rather than a cut connection. Claude Code retries that error, so behind a
/// load balancer a replica being replaced costs its users a retry on another replica, not a broken answer.
/// </summary>
internal sealed class ShutdownGrace : IDisposable
{
    private readonly CancellationTokenSource _over = new();
    private readonly CancellationTokenRegistration _stopping;
    private ITimer? _timer;

    public ShutdownGrace(IHostApplicationLifetime lifetime, Func<TimeSpan> grace, TimeProvider time) =>
        _stopping = lifetime.ApplicationStopping.Register(() =>
        {
            var period = grace();
            if (period <= TimeSpan.Zero) _over.Cancel();
            else _timer = time.CreateTimer(_ => _over.Cancel(), null, period, Timeout.InfiniteTimeSpan);
        });

    /// <summary>Cancelled once the grace has run out.</summary>
    public CancellationToken Over => _over.Token;

    public bool IsOver => _over.IsCancellationRequested;

    /// <summary>What a reply cut short by the grace running out tells the client.</summary>
    public static AnthropicError Error { get; } = new(529, ErrorTypes.Overloaded,
        "This Switchboard is stopping (restarted or replaced) and could not finish the reply; ask again.");

    public void Dispose()
    {
        _stopping.Dispose();
        _timer?.Dispose();
        _over.Dispose();
    }
}
