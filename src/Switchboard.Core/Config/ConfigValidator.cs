using System.Net;
using Switchboard.Providers;

namespace Switchboard.Config;

/// <summary>Checks what the JSON shape alone cannot; reports every problem at once, each with its path.</summary>
public static class ConfigValidator
{
    public static IReadOnlyList<ConfigError> Validate(SwitchboardConfig config, string file, ProviderRegistry registry)
    {
        var errors = new List<ConfigError>();
        void Add(string path, string problem) => errors.Add(new ConfigError(file, path, problem));

        if (config.Port is < 1 or > 65535) Add("$.port", $"{config.Port} is not a TCP port (1-65535)");
        if (config.ProxyUrl is { } proxy && !proxy.Contains('$') && UpstreamProxy.Parse(proxy) is null)
            Add("$.proxyUrl", "must be an http:// or https:// URL such as http://127.0.0.1:7890");
        if (string.IsNullOrWhiteSpace(config.Host)) Add("$.host", "must not be empty");
        else if (ExposedWithoutKey(config, config.ApiKey))
            Add("$.host", $"binding '{config.Host}' would expose the router beyond this machine; set apiKey first, " +
                          "or use 127.0.0.1");
        else if (PlainBeyondLoopback(config))
            Add("$.team.tls", $"binding '{config.Host}' would send sign-ins and bearer tokens over plain HTTP: set team.tls (a \"certificate\", " +
                              "\"selfSigned\": true, or \"offloaded\": true when the load balancer ends TLS), or use 127.0.0.1");
        if (config.PingIntervalSeconds <= 0) Add("$.pingIntervalSeconds", "must be greater than 0");
        // The host stops waiting for requests after 30 s; past 25 the grace could not end streams with their event first.
        if (config.ShutdownGraceSeconds is < 0 or > 25 || double.IsNaN(config.ShutdownGraceSeconds))
            Add("$.shutdownGraceSeconds", "must be from 0 to 25 (seconds replies in flight may run on when the daemon stops)");

        if (config.Ledger.RetentionDays < 1) Add("$.ledger.retentionDays", "must be at least 1 (day)");
        if (config.Ledger.QueueSize < 1) Add("$.ledger.queueSize", "must be at least 1 (request)");
        if (config.Team is { } team) TeamRules(team, Add);
        foreach (var (model, price) in config.Prices ?? [])
        {
            if (model.Length == 0 || model == "*") Add("$.prices", "a price needs a model name or prefix, not '' or '*'");
            foreach (var (key, value) in new[] { ("input", price.Input), ("output", price.Output),
                         ("cacheRead", price.CacheRead ?? 0), ("cacheWrite", price.CacheWrite ?? 0),
                         ("longPrompt.input", price.LongPrompt?.Input ?? 0), ("longPrompt.output", price.LongPrompt?.Output ?? 0),
                         ("longPrompt.cacheRead", price.LongPrompt?.CacheRead ?? 0), ("longPrompt.cacheWrite", price.LongPrompt?.CacheWrite ?? 0) })
                if (value < 0 || !double.IsFinite(value)) Add($"$.prices.{model}.{key}", "must be a price of 0 or more (USD per million tokens)");
            if ((price.LongPrompt is null) != (price.LongPromptAbove is null))
                Add($"$.prices.{model}", "longPrompt and longPromptAbove go together: the long-prompt rates and the prompt size (tokens) above which they apply");
            else if (price.LongPromptAbove < 0) Add($"$.prices.{model}.longPromptAbove", "must be a number of tokens, 0 or more");
        }

        if (!config.Providers.ContainsKey(config.DefaultProvider))
            Add("$.defaultProvider", $"'{config.DefaultProvider}' is not a configured provider; configured: " +
                                     NameList(config.Providers.Keys));

        foreach (var (name, provider) in config.Providers)
        {
            var path = $"$.providers.{name}";
            if (name.Length == 0 || name.IndexOfAny([':', ',', '/']) >= 0)
                Add(path, "a provider name must be non-empty and contain no ':', ',' or '/' (they separate provider and model)");
            if (provider.TimeoutSeconds is <= 0) Add($"{path}.timeoutSeconds", "must be greater than 0");
            if (!registry.TryGet(provider.Type, out var factory))
            {
                Add($"{path}.type", $"unknown provider type '{provider.Type}'; known types: {NameList(registry.Types)}");
                continue;
            }
            foreach (var (subPath, problem) in ProviderKeys.Misplaced(provider, registry).Concat(factory.Validate(provider)))
                Add($"{path}.{subPath}", problem);
        }
        RoutingValidator.Validate(config, Add);
        return errors;
    }

    private static void TeamRules(TeamConfig team, Action<string, string> add)
    {
        if (string.IsNullOrWhiteSpace(team.Postgres))
            add("$.team.postgres", "team mode needs PostgreSQL: a connection string such as \"Host=db;Database=switchboard;Username=switchboard;Password=$PGPASSWORD\"");
        if (string.IsNullOrWhiteSpace(team.Redis))
            add("$.team.redis", "team mode needs Redis: an address such as \"redis://127.0.0.1:6379\"");
        if (team.PublicUrl is not { } url || (!url.Contains('$') &&
            !(Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https")))
            add("$.team.publicUrl", "team mode needs the URL developers reach the gateway at, such as \"https://switchboard.example.com\"");
        if (team.KeyCacheSeconds is < 0 or > 3600)
            add("$.team.keyCacheSeconds", "must be from 0 to 3600 (seconds a replica trusts what it read about a key)");
        if (team.WhenRedisDown is not (TeamConfig.Refuse or TeamConfig.Allow))
            add("$.team.whenRedisDown", $"must be \"refuse\" (the default: requests of users with limits are refused while Redis is down) or \"allow\" (they go on unchecked), not \"{team.WhenRedisDown}\"");
        if (team.AccessTokenMinutes is < 1 or > 1440)
            add("$.team.accessTokenMinutes", "must be from 1 to 1440 (minutes a signed-in client's access token lives before it refreshes it)");
        if (team.SignInAttemptsPerMinute is < 1 or > 10_000)
            add("$.team.signInAttemptsPerMinute", "must be from 1 to 10000 (sign-in page submissions a minute from one address)");
        if (team.Tls is { } tls)
        {
            var ways = (tls.Certificate is not null ? 1 : 0) + (tls.SelfSigned ? 1 : 0) + (tls.Offloaded ? 1 : 0);
            if (ways != 1)
                add("$.team.tls", "name one way to serve https: \"certificate\" (with \"key\" unless the file holds it), \"selfSigned\": true (generated once, kept in PostgreSQL), or \"offloaded\": true (the load balancer ends TLS)");
            if (tls.Key is not null && tls.Certificate is null)
                add("$.team.tls.key", "a key needs the \"certificate\" it belongs to");
            if (tls.Hosts is not null && !tls.SelfSigned)
                add("$.team.tls.hosts", "hosts are for a generated certificate (\"selfSigned\": true); a configured one covers the names it was issued for");
        }
        if (team.RefreshTokenDays is < 1 or > 365)
            add("$.team.refreshTokenDays", "must be from 1 to 365 (days a signed-in session may go unrefreshed before its person signs in again)");
    }

    /// <summary>
    /// The one rule for who may bind where: anything but loopback needs a client key, or team mode, where every request
    /// needs a user's key. The file is checked with the key as written, the server again with its variable expanded (an
    /// empty <c>$VAR</c> is no key).
    /// </summary>
    public static bool ExposedWithoutKey(SwitchboardConfig config, string? key) =>
        !IsLoopback(config.Host) && config.Team is null && string.IsNullOrEmpty(key);

    /// <summary>Team mode on an address beyond loopback with no TLS here or in front: Claude Code accepts plain HTTP for loopback only.</summary>
    public static bool PlainBeyondLoopback(SwitchboardConfig config) =>
        config.Team is { } team && !IsLoopback(config.Host) && team.Tls is not { ServedHere: true } and not { Offloaded: true };

    /// <summary><c>localhost</c> or a loopback address (<c>127.0.0.1</c>, <c>::1</c>, bracketed or not).</summary>
    public static bool IsLoopback(string host)
    {
        if (host.Equals("localhost", StringComparison.OrdinalIgnoreCase)) return true;
        return IPAddress.TryParse(host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address);
    }

    private static string NameList(IEnumerable<string> names)
    {
        var list = string.Join(", ", names.Order(StringComparer.Ordinal));
        return list.Length == 0 ? "(none)" : list;
    }
}
