using System.Text.Json.Serialization;

namespace Switchboard.Config;

/// <summary>
/// The whole of <c>config.json</c>, immutable: a reload builds a new one and swaps it in whole. String values may
/// hold <c>$VAR</c> or <c>${VAR}</c>, read from the environment when a request needs them (<see cref="EnvExpander"/>).
/// </summary>
/// <remarks>
/// Keys with a default are also parameters of the primary constructor: System.Text.Json's source generator sets every
/// <c>init</c> property in one object initializer, passing <c>default</c> for a key the file leaves out, which would
/// overwrite a property initializer (dotnet/runtime#84484); a constructor parameter's default is honoured instead.
/// </remarks>
public sealed record SwitchboardConfig(
    string Host = SwitchboardConfig.LoopbackHost,
    int Port = SwitchboardConfig.DefaultPort,
    string DefaultProvider = "anthropic",
    Dictionary<string, ProviderConfig>? Providers = null,
    int LongContextThreshold = 60000,
    RetryConfig? Retry = null,
    ClaudeCodeConfig? ClaudeCode = null,
    double PingIntervalSeconds = 10,
    LedgerConfig? Ledger = null,
    double ShutdownGraceSeconds = 10)
{
    public const int DefaultPort = 11436;
    public const string LoopbackHost = "127.0.0.1";

    [JsonPropertyName("$schema")] public string? Schema { get; init; }

    /// <summary>Address to bind. Anything but loopback needs <see cref="ApiKey"/>.</summary>
    public string Host { get; init; } = Host;
    public int Port { get; init; } = Port;

    /// <summary>When set, clients must present it (x-api-key, Bearer, or x-switchboard-key).</summary>
    public string? ApiKey { get; init; }

    /// <summary>Where a model without a known provider prefix goes, unchanged.</summary>
    public string DefaultProvider { get; init; } = DefaultProvider;

    public Dictionary<string, ProviderConfig> Providers { get; init; } = Providers ?? [];

    /// <summary>Where each duty goes; see <see cref="Routing.Router"/> for the order decisions are made in.</summary>
    public RoutesConfig? Routes { get; init; }

    /// <summary>Declarative rules, tried in order before the duty routes; the first that matches wins.</summary>
    public List<RouteRule>? Rules { get; init; }

    /// <summary>Model name (glob) → target, for requests no rule or duty route claimed.</summary>
    public Dictionary<string, string>? ModelMap { get; init; }

    /// <summary>claude-code-proxy's <c>BIG_MODEL</c>/<c>SMALL_MODEL</c>: haiku-class names go to <see cref="SmallModel"/>, sonnet and opus to <see cref="BigModel"/>.</summary>
    public string? BigModel { get; init; }
    public string? SmallModel { get; init; }

    /// <summary>Estimated input tokens above which a request is <c>longContext</c>.</summary>
    public int LongContextThreshold { get; init; } = LongContextThreshold;

    /// <summary>Which duty wins when several apply; duties left out keep their default place after these.</summary>
    public List<string>? DutyOrder { get; init; }

    /// <summary>The model <c>switchboard code</c> gives Claude Code's subagents (<c>CLAUDE_CODE_SUBAGENT_MODEL</c>).</summary>
    public string? SubagentModel { get; init; }

    public RetryConfig Retry { get; init; } = Retry ?? new();

    /// <summary>
    /// An HTTP proxy for every upstream request but those to this machine (CCR's <c>PROXY_URL</c>); may hold
    /// <c>$VAR</c> and <c>user:password@</c>. Unset, the usual <c>HTTPS_PROXY</c>/<c>HTTP_PROXY</c>/<c>NO_PROXY</c> apply.
    /// </summary>
    public string? ProxyUrl { get; init; }

    /// <summary>How <c>switchboard code</c> sets up Claude Code: picker slots, discovery, bridging.</summary>
    public ClaudeCodeConfig ClaudeCode { get; init; } = ClaudeCode ?? new();

    /// <summary>How long a translated stream may stay silent before a <c>ping</c> event is sent.</summary>
    public double PingIntervalSeconds { get; init; } = PingIntervalSeconds;

    /// <summary>
    /// When the daemon is told to stop, how long replies in flight may run on; a stream still open then ends with an
    /// <c>overloaded_error</c> event, which Claude Code retries (behind a load balancer, on another replica).
    /// </summary>
    public double ShutdownGraceSeconds { get; init; } = ShutdownGraceSeconds;

    /// <summary>
    /// Prices by model, overriding the built-in table: <c>model</c>, <c>provider:model</c>, or either ending in
    /// <c>*</c> for a prefix.
    /// </summary>
    public Dictionary<string, ModelPrice>? Prices { get; init; }

    public LedgerConfig Ledger { get; init; } = Ledger ?? new();

    /// <summary>Team mode: replicas on PostgreSQL and Redis. Null (the default) is the single-user router.</summary>
    public TeamConfig? Team { get; init; }
}
