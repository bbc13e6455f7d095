using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Switchboard.Team;

/// <summary>
/// Resolves a presented Switchboard key to a <see cref="TeamPrincipal"/> or a <see cref="KeyRefusal"/>. A key's row
/// (with its user and groups) is read by its public prefix and kept in this replica's memory for
/// <see cref="TeamAuthenticatorOptions.CacheLifetime"/>, so an authorised request costs a SHA-256 and a dictionary
/// lookup, no database round trip. The presented key's hash is compared with the stored one in constant time
/// before anything about the key is said, so a prefix alone (which listings show) learns nothing.
/// When a key is revoked or a user disabled or regrouped, <see cref="Invalidate"/> drops what this replica holds
/// (the Redis listener calls it for changes made on other replicas). Expiry is checked against the clock on every
/// request, cached or not.
/// </summary>
internal sealed partial class TeamAuthenticator(
    NpgsqlDataSource database, TeamAuthenticatorOptions options, TimeProvider time, ILogger<TeamAuthenticator>? logger = null) : ITeamCache
{
    private sealed record CachedKey(StoredKey Key, TeamAuthentication Allowed, DateTimeOffset FetchedAt);

    private readonly ConcurrentDictionary<string, CachedKey> _cache = new(StringComparer.Ordinal);
    private readonly KeyActivity _activity = new();
    private readonly ILogger _logger = logger ?? NullLogger<TeamAuthenticator>.Instance;

    // Bumped by every Invalidate, so a database read that started before it cannot put its older answer back.
    private long _generation;

    /// <summary>Checks <paramref name="presented"/> (from <see cref="PresentedKey.From"/>).</summary>
    public async ValueTask<TeamAuthentication> AuthenticateAsync(string? presented, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(presented)) return Refuse(KeyRefusal.Missing);
        if (SigningKeys is { } keys && BearerToken.LooksLikeOne(presented)) return await AuthenticateBearerAsync(presented, keys, cancellationToken);
        if (ApiKeySecret.PrefixOf(presented) is not { } prefix) return Refuse(KeyRefusal.Malformed);

        var now = time.GetUtcNow();
        var entry = _cache.TryGetValue(prefix, out var cached) && now - cached.FetchedAt < options.CacheLifetime
            ? cached
            : await FetchAsync(prefix, now, cancellationToken);
        return Judge(entry, presented, now);
    }

    /// <summary>Forgets what this replica holds about a key (by its id) or about every key of a user (by the user's id).</summary>
    public void Invalidate(Guid keyOrUserId)
    {
        Interlocked.Increment(ref _generation);
        foreach (var entry in _cache)
            if (entry.Value.Key.KeyId == keyOrUserId || entry.Value.Key.UserId == keyOrUserId)
                _cache.TryRemove(entry);
        InvalidateSessions(keyOrUserId);
    }

    /// <summary>Forgets everything: for when invalidation messages may have been missed (Redis reconnected).</summary>
    public void InvalidateAll()
    {
        Interlocked.Increment(ref _generation);
        _cache.Clear();
        _sessions.Clear();
    }

    /// <summary>Refusals for <paramref name="reason"/> since this replica started.</summary>
    public long RefusalCount(KeyRefusal reason) => _activity.RefusalTotal(reason);

    /// <summary>
    /// Records that a request of <paramref name="principal"/> was refused after its key was accepted, for the audit
    /// log's next <c>block</c> rows (tallied in memory; nothing is written on the request path).
    /// </summary>
    public void Blocked(TeamPrincipal principal, string reason) => _activity.Blocked(principal.KeyId, principal.UserId, reason);

    /// <summary>Writes key use and refusals (and settings checksums) tallied since the last flush (what <see cref="RunAsync"/> does on its interval).</summary>
    public async Task FlushActivityAsync(CancellationToken cancellationToken)
    {
        await _activity.FlushAsync(database, cancellationToken);
        await SettingsReports.FlushAsync(database, cancellationToken);
        await Telemetry.FlushAsync(database, cancellationToken);
    }

    /// <summary>Flushes key activity every <see cref="TeamAuthenticatorOptions.UsageFlushInterval"/> until stopped, and once more then.</summary>
    public async Task RunAsync(CancellationToken stopping)
    {
        using var timer = new PeriodicTimer(options.UsageFlushInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stopping))
                await TryFlushAsync(stopping);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested) { }
        await TryFlushAsync(CancellationToken.None);
    }

    private async Task TryFlushAsync(CancellationToken cancellationToken)
    {
        try { await FlushActivityAsync(cancellationToken); }
        catch (Exception ex) when (ex is TeamStoreException or NpgsqlException)
        {
            LogActivityNotWritten(_logger, ex.Message);
        }
    }

    private async Task<CachedKey?> FetchAsync(string prefix, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var generation = Interlocked.Read(ref _generation);
        var stored = await StoredKey.FindByPrefixAsync(database, prefix, cancellationToken);
        if (stored is null)
        {
            _cache.TryRemove(prefix, out _);
            return null;
        }
        var entry = new CachedKey(stored, TeamAuthentication.Allowed(stored.ToPrincipal()), now);
        _cache[prefix] = entry;
        // An Invalidate that ran while the row was read may have missed this entry: drop it, this answer may be old.
        if (Interlocked.Read(ref _generation) != generation) _cache.TryRemove(new(prefix, entry));
        return entry;
    }

    private TeamAuthentication Judge(CachedKey? entry, string presented, DateTimeOffset now)
    {
        if (entry is null || !ApiKeySecret.Matches(presented, entry.Key.Hash)) return Refuse(KeyRefusal.Unknown);
        var key = entry.Key;
        if (key.RevokedAt is not null) return Refuse(KeyRefusal.Revoked, key);
        if (key.UserDisabledAt is not null) return Refuse(KeyRefusal.UserDisabled, key);
        if (key.ExpiresAt is { } expires && expires <= now) return Refuse(KeyRefusal.Expired, key);
        _activity.Used(key.KeyId, key.UserId, now);
        return entry.Allowed;
    }

    private TeamAuthentication Refuse(KeyRefusal refusal, StoredKey? key = null)
    {
        _activity.Refused(refusal, key?.KeyId, key?.Prefix);
        return TeamAuthentication.Refused(refusal, key?.Shown, key?.ExpiresAt);
    }

    [LoggerMessage(EventIds.TeamKeyActivityNotWritten, LogLevel.Warning,
        "Key use and refusals could not be written to the team database; kept for the next try: {Reason}")]
    private static partial void LogActivityNotWritten(ILogger logger, string reason);
}
