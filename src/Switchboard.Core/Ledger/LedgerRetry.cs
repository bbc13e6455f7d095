namespace Switchboard.Ledger;

/// <summary>
/// How <see cref="LedgerWriter"/> treats a batch its store refused for a reason that passes (<see cref="IsTransient"/>:
/// a database restarting, a network gone for a while): it keeps the batch and sends it again, after
/// <see cref="FirstDelay"/>, doubling up to <see cref="MaxDelay"/>, until it is written or the writer stops. Records
/// keep queuing meanwhile, up to the queue's bound. A refusal that would repeat (the data itself) gives the batch up.
/// </summary>
public sealed record LedgerRetry(TimeSpan FirstDelay, TimeSpan MaxDelay, Func<Exception, bool> IsTransient)
{
    public TimeSpan DelayBefore(int attempt)
    {
        var ticks = FirstDelay.Ticks * Math.Pow(2, Math.Min(attempt - 1, 20));
        return ticks >= MaxDelay.Ticks ? MaxDelay : TimeSpan.FromTicks((long)ticks);
    }
}
