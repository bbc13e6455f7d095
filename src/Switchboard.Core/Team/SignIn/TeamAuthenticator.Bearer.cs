using System.Collections.Concurrent;

namespace Switchboard.Team;

/// <summary>
/// The bearer half of <see cref="TeamAuthenticator"/>: a gateway access token (a JWT from the sign-in flow) resolves
/// to the principal of its session. The signature is checked once per token per replica (then the token's claims are
/// remembered, bounded); the session row (revoked? user disabled? groups now?) is cached like a key's row, for the
/// same lifetime and dropped by the same invalidations (by session id or user id), so a sign-out or a disabled user
/// ends the token on every replica at once.
/// </summary>
internal sealed partial class TeamAuthenticator
{
    private sealed record CachedSession(StoredSession Session, TeamAuthentication Allowed, DateTimeOffset FetchedAt);

    // Verified tokens are few per person (one an hour); the bound only stops a flood of valid-looking junk growing it.
    private const int VerifiedTokensKept = 50_000;

    private readonly ConcurrentDictionary<Guid, CachedSession> _sessions = new();
    private readonly ConcurrentDictionary<string, BearerClaims> _verified = new(StringComparer.Ordinal);

    /// <summary>The managed-settings checksums requests report, written with key use.</summary>
    public SettingsReports SettingsReports { get; } = new();

    /// <summary>The OTLP batches signed-in clients send, written with key use.</summary>
    public TelemetryReceived Telemetry { get; } = new();

    /// <summary>The keys gateway tokens are signed with; null until team mode starts, when only Switchboard keys are accepted.</summary>
    public SigningKeyRing? SigningKeys { get; set; }

    private async ValueTask<TeamAuthentication> AuthenticateBearerAsync(string token, SigningKeyRing keys, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (!_verified.TryGetValue(token, out var claims))
        {
            if (await BearerToken.VerifyAsync(token, keys, cancellationToken) is not { } read) return Refuse(KeyRefusal.SignInInvalid);
            claims = read;
            if (_verified.Count >= VerifiedTokensKept) _verified.Clear();
            _verified[token] = claims;
        }
        if (BearerToken.IsExpired(claims, now))
        {
            _verified.TryRemove(token, out _);
            return Refuse(KeyRefusal.SignInExpired);
        }

        var generation = Interlocked.Read(ref _generation);
        if (!_sessions.TryGetValue(claims.SessionId, out var cached) || now - cached.FetchedAt >= options.CacheLifetime)
        {
            cached = await StoredSession.FindAsync(database, claims.SessionId, cancellationToken) is { } stored
                ? new CachedSession(stored, TeamAuthentication.Allowed(stored.ToPrincipal()), now)
                : null;
            if (cached is null) return Refuse(KeyRefusal.SignInInvalid);
            _sessions[claims.SessionId] = cached;
            if (Interlocked.Read(ref _generation) != generation) _sessions.TryRemove(new(claims.SessionId, cached));
        }
        var session = cached.Session;
        if (session.UserId != claims.UserId) return Refuse(KeyRefusal.SignInInvalid);
        if (session.RevokedAt is not null) return RefuseSession(KeyRefusal.SignInRevoked, session);
        if (session.UserDisabledAt is not null) return RefuseSession(KeyRefusal.SignInUserDisabled, session);
        _activity.Used(session.SessionId, session.UserId, now);
        return cached.Allowed;
    }

    private TeamAuthentication RefuseSession(KeyRefusal refusal, StoredSession session)
    {
        _activity.Refused(refusal, session.SessionId, session.Shown);
        return TeamAuthentication.Refused(refusal);
    }

    private void InvalidateSessions(Guid sessionOrUserId)
    {
        foreach (var entry in _sessions)
            if (entry.Key == sessionOrUserId || entry.Value.Session.UserId == sessionOrUserId)
                _sessions.TryRemove(entry);
    }
}
