namespace Switchboard.Config;

/// <summary>
/// Team mode (<c>team</c> in config): replicas that share users, keys, limits and the ledger. Its presence switches
/// team mode on; without it Switchboard is the single-user router with its SQLite ledger, and nothing of team mode
/// is loaded. Each value may be a <c>$VAR</c>, so the passwords in them need not live in the file.
/// </summary>
/// <remarks>The defaults are constructor parameters so that the source-generated reader keeps them (see <see cref="SwitchboardConfig"/>).</remarks>
public sealed record TeamConfig(int KeyCacheSeconds = TeamConfig.DefaultKeyCacheSeconds)
{
    public const int DefaultKeyCacheSeconds = 30;

    /// <summary>An Npgsql connection string (<c>Host=…;Database=…;Username=…;Password=…</c>): what must last.</summary>
    public string? Postgres { get; init; }

    /// <summary>A Redis address (<c>redis://host:6379</c> or StackExchange.Redis's <c>host:6379,password=…</c>): what replicas share at request speed.</summary>
    public string? Redis { get; init; }

    /// <summary>The URL developers reach the gateway at (the load balancer's), for sign-in links and Claude Code's settings.</summary>
    public string? PublicUrl { get; init; }

    /// <summary>
    /// How long a replica trusts what it read about a key. Revocations reach every replica at once through Redis; this
    /// bounds how stale an answer can be when that message is lost (Redis down). 0 reads the database on every request.
    /// </summary>
    public int KeyCacheSeconds { get; init; } = KeyCacheSeconds;
}
