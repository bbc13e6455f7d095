namespace Switchboard.Team;

/// <summary>What a listing shows of a key: everything but the key itself, which is shown once, at creation.</summary>
internal sealed record ApiKeyInfo(
    Guid Id, Guid UserId, string Prefix, string Name, IReadOnlyList<string> Scopes,
    DateTimeOffset? ExpiresAt, DateTimeOffset? RevokedAt, DateTimeOffset? LastUsedAt, DateTimeOffset CreatedAt)
{
    /// <summary>How the key shows in a list: its scheme and prefix, the secret left out.</summary>
    public string Shown => $"{ApiKeySecret.Scheme}{Prefix}-…";
}
