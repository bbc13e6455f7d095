using Switchboard.Config;

namespace Switchboard.Forwarding;

/// <summary>Which failures another attempt may fix, and how long to wait before it.</summary>
internal static class Retries
{
    /// <summary>The longest <c>retry-after</c> honoured; beyond it the next target is tried instead of waiting.</summary>
    public static readonly TimeSpan MaxRetryAfter = TimeSpan.FromSeconds(30);

    /// <summary>A timeout, a rate limit, an overload or a server failure: worth another attempt or another target.</summary>
    public static bool IsRetryable(int status) => status is 408 or 429 or 529 or >= 500;

    /// <summary>Exponential from <c>backoffMs</c> up to <c>maxBackoffMs</c>, or the upstream's <c>retry-after</c> when longer.</summary>
    public static TimeSpan Backoff(RetryConfig retry, int attempt, TimeSpan? retryAfter)
    {
        var exponential = TimeSpan.FromMilliseconds(Math.Min(retry.MaxBackoffMs, retry.BackoffMs * Math.Pow(2, attempt)));
        return retryAfter is { } wait && wait > exponential ? wait : exponential;
    }
}
