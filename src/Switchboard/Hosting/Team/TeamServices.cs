using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;
using StackExchange.Redis;
using Switchboard.Config;
using Switchboard.Forwarding;
using Switchboard.Team;

namespace Switchboard.Hosting.Team;

/// <summary>
/// Team mode's shared state for one replica: the PostgreSQL data source and the Redis connection, opened before the
/// server listens. Built only when the config has a <c>team</c> section (<see cref="Create"/> returns null otherwise),
/// so the single-user path constructs nothing of it. The <c>team</c> section is read once, at start: changing it
/// takes a restart, as a replica's database would.
/// </summary>
internal sealed partial class TeamServices : IAsyncDisposable
{
    private readonly ConfigurationOptions _redisOptions;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly CancellationTokenSource _stopping = new();
    private IConnectionMultiplexer? _redis;
    private TeamInvalidation? _invalidation;
    private Task _activityFlush = Task.CompletedTask;
    private Task _heartbeat = Task.CompletedTask;

    private TeamServices(NpgsqlDataSource database, ConfigurationOptions redisOptions, TeamAuthenticator authenticator, ILogger logger, TimeProvider time)
    {
        Database = database;
        Policies = new GroupPolicyCache(new TeamGroupPolicies(database), time, authenticator.Blocked);
        _redisOptions = redisOptions;
        Authenticator = authenticator;
        SigningKeys = new SigningKeyRing(database, time);
        _logger = logger;
        _time = time;
    }

    /// <summary>The https this replica serves itself, or null (plain HTTP on loopback, or TLS ended by the load balancer).</summary>
    public GatewayTls? Tls { get; private init; }

    /// <summary>The keys gateway bearer tokens (Claude Code's sign-in) are signed and verified with, shared in PostgreSQL.</summary>
    public SigningKeyRing SigningKeys { get; }

    public NpgsqlDataSource Database { get; }

    /// <summary>Resolves every request's Switchboard key to a user, from this replica's short-lived cache.</summary>
    public TeamAuthenticator Authenticator { get; }

    /// <summary>What each caller's groups allow and route to, from this replica's short-lived cache.</summary>
    public GroupPolicyCache Policies { get; }

    private readonly List<ITeamCache> _caches = [];

    /// <summary>Another cache every announced change must reach (the limits the request path holds); before <see cref="StartAsync"/>.</summary>
    public void AddCache(ITeamCache cache) => _caches.Add(cache);

    /// <summary>Announces a changed key, user or group to every replica. Set by <see cref="StartAsync"/>.</summary>
    public TeamInvalidation Invalidation => _invalidation ?? throw new InvalidOperationException("team mode has not started");

    /// <summary>The Redis connection; it reconnects by itself after an outage. Set by <see cref="StartAsync"/>.</summary>
    public IConnectionMultiplexer Redis => _redis ?? throw new InvalidOperationException("team mode has not started");

    /// <summary>Where Redis is (<c>host:port</c>), for messages: never the password.</summary>
    public string RedisServer => TeamRedis.Describe(_redisOptions);

    /// <summary>
    /// Team mode's services for <paramref name="config"/>, or null without a <c>team</c> section. Values are
    /// <c>$VAR</c>-expanded here; a malformed address throws <see cref="TeamStoreException"/> saying what to fix.
    /// </summary>
    public static TeamServices? Create(SwitchboardConfig config, string configFile, ILoggerFactory loggers, TimeProvider time)
    {
        if (config.Team is not { } team) return null;
        // Read before anything is opened: a certificate that cannot be read is the config's problem, said as one.
        var tls = GatewayTls.Create(team, configFile);
        var database = TeamDatabase.Create(EnvExpander.Expand(team.Postgres ?? ""));
        try
        {
            var redis = TeamRedis.Parse(EnvExpander.Expand(team.Redis ?? ""));
            var authenticator = new TeamAuthenticator(database,
                new TeamAuthenticatorOptions { CacheLifetime = TimeSpan.FromSeconds(team.KeyCacheSeconds) }, time,
                loggers.CreateLogger<TeamAuthenticator>());
            return new TeamServices(database, redis, authenticator, loggers.CreateLogger("Switchboard.Team"), time) { Tls = tls };
        }
        catch
        {
            database.Dispose();
            throw;
        }
    }

    /// <summary>The one registration of team mode in the server's services; nothing is added for the local path.</summary>
    public static void Add(IServiceCollection services, TeamServices? team)
    {
        if (team is null) return;
        services.AddSingleton(team);
        services.AddSingleton(team.Database);
        services.AddSingleton(_ => team.Redis);
        services.AddSingleton(team.Authenticator);
        services.AddSingleton(_ => team.Invalidation);
    }

    /// <summary>
    /// Brings the schema up to date (under the advisory lock, so replicas starting together take turns) and connects
    /// Redis. PostgreSQL unreachable or a newer schema throws <see cref="TeamStoreException"/>: the replica does not
    /// start. Redis unreachable does not stop it: the connection keeps retrying, and <c>/health</c> says so.
    /// </summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var applied = await TeamSchema.MigrateAsync(Database, cancellationToken);
        await SigningKeys.StartAsync(cancellationToken);
        if (Tls is not null) await Tls.StartAsync(Database, _time, _logger, cancellationToken);
        Authenticator.SigningKeys = SigningKeys;
        _redis = await TeamRedis.ConnectAsync(_redisOptions);
        if (!_redis.IsConnected) LogRedisUnavailable(_logger, RedisServer);
        _invalidation = new TeamInvalidation(_redis, [Authenticator, Policies, .. _caches], _logger);
        await _invalidation.SubscribeAsync();
        _activityFlush = Authenticator.RunAsync(_stopping.Token);
        var where = new NpgsqlConnectionStringBuilder(Database.ConnectionString);
        LogReady(_logger, $"{where.Host}:{where.Port}/{where.Database}", TeamSchema.LatestVersion,
            applied.Count == 0 ? "none" : string.Join(", ", applied), RedisServer);
    }

    /// <summary>This replica's heartbeat and its live peers; set by <see cref="ShareRoutingStateAsync"/>.</summary>
    public TeamPeers? Peers { get; private set; }

    /// <summary>
    /// Once the replica listens (its id and address known): shares its target cool-downs with the other replicas and
    /// starts its heartbeat (issue 17, item 8).
    /// </summary>
    public async Task ShareRoutingStateAsync(TargetHealth targets, string replicaId, Uri address, Func<string> configHash, TimeProvider time)
    {
        await new SharedCooldowns(Redis, targets, replicaId, time, _logger).StartAsync();
        Peers = new TeamPeers(Redis, replicaId, address, configHash, time, _logger);
        _heartbeat = Peers.RunAsync(_stopping.Token);
    }

    /// <summary>Whether PostgreSQL and Redis each answer a trivial query within <paramref name="timeout"/>, asked at once.</summary>
    public async Task<(bool Postgres, bool Redis)> AnswersAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var budget = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        budget.CancelAfter(timeout);
        var postgres = PostgresAnswersAsync(budget.Token);
        var redis = RedisAnswersAsync(timeout, budget.Token);
        return (await postgres, await redis);
    }

    private async Task<bool> PostgresAnswersAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var command = Database.CreateCommand("SELECT 1");
            return await command.ExecuteScalarAsync(cancellationToken) is 1;
        }
        catch (Exception ex) when (ex is NpgsqlException or OperationCanceledException or TimeoutException or System.Net.Sockets.SocketException)
        {
            return false;
        }
    }

    private async Task<bool> RedisAnswersAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (_redis is not { IsConnected: true } redis) return false;
        try
        {
            await redis.GetDatabase().PingAsync().WaitAsync(timeout, cancellationToken);
            return true;
        }
        catch (Exception ex) when (ex is RedisException or OperationCanceledException or TimeoutException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        // The last key-use tallies are written before the database goes.
        await _stopping.CancelAsync();
        // Bounded: with PostgreSQL gone the last write would wait out Npgsql's connect timeout, and the tallies are only counts.
        await _activityFlush.WaitAsync(TimeSpan.FromSeconds(5)).ContinueWith(_ => { }, TaskScheduler.Default);
        await _heartbeat.WaitAsync(TimeSpan.FromSeconds(5)).ContinueWith(_ => { }, TaskScheduler.Default);
        _stopping.Dispose();
        if (_redis is not null) await _redis.DisposeAsync();
        SigningKeys.Dispose();
        await Database.DisposeAsync();
    }

    [LoggerMessage(EventIds.TeamReady, LogLevel.Information,
        "Team mode: PostgreSQL {Database} at schema version {Version} (applied now: {Applied}), Redis {Redis}")]
    private static partial void LogReady(ILogger logger, string database, int version, string applied, string redis);

    [LoggerMessage(EventIds.TeamRedisUnavailable, LogLevel.Warning,
        "Team mode: Redis {Redis} does not answer; serving anyway and reconnecting in the background")]
    private static partial void LogRedisUnavailable(ILogger logger, string redis);
}
