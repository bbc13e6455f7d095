namespace Switchboard.Config;

/// <summary>
/// Team mode (<c>team</c> in config): replicas that share users, keys, limits and the ledger. Its presence switches
/// team mode on; without it Switchboard is the single-user router with its SQLite ledger, and nothing of team mode
/// is loaded. Each value may be a <c>$VAR</c>, so the passwords in them need not live in the file.
/// </summary>
/// <remarks>The defaults are constructor parameters so that the source-generated reader keeps them (see <see cref="SwitchboardConfig"/>).</remarks>
public sealed record TeamConfig(
    int KeyCacheSeconds = TeamConfig.DefaultKeyCacheSeconds, string WhenRedisDown = TeamConfig.Refuse,
    int AccessTokenMinutes = 60, int RefreshTokenDays = 30, int SignInAttemptsPerMinute = 10)
{
    public const int DefaultKeyCacheSeconds = 30;
    public const string Refuse = "refuse";
    public const string Allow = "allow";

    /// <summary>An Npgsql connection string (<c>Host=…;Database=…;Username=…;Password=…</c>): what must last.</summary>
    public string? Postgres { get; init; }

    /// <summary>A Redis address (<c>redis://host:6379</c> or StackExchange.Redis's <c>host:6379,password=…</c>): what replicas share at request speed.</summary>
    public string? Redis { get; init; }

    /// <summary>The URL developers reach the gateway at (the load balancer's), for sign-in links and Claude Code's settings.</summary>
    public string? PublicUrl { get; init; }

    /// <summary>
    /// The request tag a developer's Claude Code names its billing group under (gateway protocol, "Billing group";
    /// <c>admin.billing_group_tag</c> in Anthropic's gateway). Set, access tokens carry the <c>billing_group_tag</c>
    /// claim, the client puts its <c>attributionProject</c> under that key in <c>tags</c>, the request is charged to
    /// that group when the caller is in it, and <c>tags</c> with their beta never reach an upstream.
    /// </summary>
    public string? BillingGroupTag { get; init; }

    /// <summary>How the gateway serves https (required to bind beyond loopback); see <see cref="TeamTlsConfig"/>.</summary>
    public TeamTlsConfig? Tls { get; init; }

    /// <summary>
    /// How long a replica trusts what it read about a key. Revocations reach every replica at once through Redis; this
    /// bounds how stale an answer can be when that message is lost (Redis down). 0 reads the database on every request.
    /// </summary>
    public int KeyCacheSeconds { get; init; } = KeyCacheSeconds;

    /// <summary>
    /// What a request of a user with limits gets while Redis, which holds the limits' counters, does not answer:
    /// <c>refuse</c> (the default: a 429 saying the limits cannot be checked) or <c>allow</c> (it goes on unchecked,
    /// logged once per outage and counted in <c>/metrics</c>). Users with no limit are not affected either way.
    /// </summary>
    public string WhenRedisDown { get; init; } = WhenRedisDown;

    /// <summary>
    /// How long an access token from Claude Code's sign-in (<c>/login</c> against the gateway) lives. The client refreshes
    /// it before then without asking; a sign-out or a disabled user ends it at once whatever is left of it.
    /// </summary>
    public int AccessTokenMinutes { get; init; } = AccessTokenMinutes;

    /// <summary>How long a signed-in session may go without refreshing before its person must sign in again.</summary>
    public int RefreshTokenDays { get; init; } = RefreshTokenDays;

    /// <summary>
    /// How many times a minute one address may submit the sign-in page (RFC 8628 §5.1: user codes are short, so
    /// guessing must be slow), counted across replicas in Redis.
    /// </summary>
    public int SignInAttemptsPerMinute { get; init; } = SignInAttemptsPerMinute;
}
