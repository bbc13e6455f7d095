namespace Switchboard.Team;

/// <summary>How long a replica trusts what it read about a key, and how often it writes down key use.</summary>
internal sealed record TeamAuthenticatorOptions
{
    /// <summary>
    /// How long a key's row is served from this replica's memory. Revocations reach every replica at once through
    /// <c>Invalidate</c> (Redis pub/sub); this lifetime bounds how stale an answer can be if that message is lost.
    /// </summary>
    public TimeSpan CacheLifetime { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How often key use (<c>last_used_at</c>, audit rows) and refusal counts are written: off the request path, in one batch.</summary>
    public TimeSpan UsageFlushInterval { get; init; } = TimeSpan.FromSeconds(60);
}
