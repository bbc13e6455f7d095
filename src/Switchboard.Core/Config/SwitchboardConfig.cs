using System.Text.Json.Serialization;

namespace Switchboard.Config;

/// <summary>
/// The whole of <c>config.json</c>, immutable: a reload builds a new one and swaps it in whole. String values may
/// hold <c>$VAR</c> or <c>${VAR}</c>, read from the environment when a request needs them (<see cref="EnvExpander"/>).
/// </summary>
public sealed record SwitchboardConfig
{
    public const int DefaultPort = 11436;
    public const string LoopbackHost = "127.0.0.1";

    [JsonPropertyName("$schema")] public string? Schema { get; set; }

    /// <summary>Address to bind. Anything but loopback needs <see cref="ApiKey"/>.</summary>
    public string Host { get; set; } = LoopbackHost;
    public int Port { get; set; } = DefaultPort;

    /// <summary>When set, clients must present it (x-api-key, Bearer, or x-switchboard-key).</summary>
    public string? ApiKey { get; set; }

    /// <summary>Where a model without a known provider prefix goes, unchanged.</summary>
    public string DefaultProvider { get; set; } = "anthropic";

    public Dictionary<string, ProviderConfig> Providers { get; set; } = [];

    /// <summary>Where each duty goes; see <see cref="Routing.Router"/> for the order decisions are made in.</summary>
    public RoutesConfig? Routes { get; set; }

    /// <summary>Declarative rules, tried in order before the duty routes; the first that matches wins.</summary>
    public List<RouteRule>? Rules { get; set; }

    /// <summary>Model name (glob) → target, for requests no rule or duty route claimed.</summary>
    public Dictionary<string, string>? ModelMap { get; set; }

    /// <summary>Seed 003's convenience: haiku-class names go to <see cref="SmallModel"/>, sonnet and opus to <see cref="BigModel"/>.</summary>
    public string? BigModel { get; set; }
    public string? SmallModel { get; set; }

    /// <summary>Estimated input tokens above which a request is <c>longContext</c>.</summary>
    public int LongContextThreshold { get; set; } = 60000;

    /// <summary>Which duty wins when several apply; duties left out keep their default place after these.</summary>
    public List<string>? DutyOrder { get; set; }

    /// <summary>The model <c>switchboard code</c> gives Claude Code's subagents (<c>CLAUDE_CODE_SUBAGENT_MODEL</c>).</summary>
    public string? SubagentModel { get; set; }

    public RetryConfig Retry { get; set; } = new();

    /// <summary>
    /// An HTTP proxy for every upstream request but those to this machine (CCR's <c>PROXY_URL</c>); may hold
    /// <c>$VAR</c> and <c>user:password@</c>. Unset, the usual <c>HTTPS_PROXY</c>/<c>HTTP_PROXY</c>/<c>NO_PROXY</c> apply.
    /// </summary>
    public string? ProxyUrl { get; set; }

    /// <summary>How <c>switchboard code</c> sets up Claude Code: picker slots, discovery, bridging.</summary>
    public ClaudeCodeConfig ClaudeCode { get; set; } = new();

    /// <summary>How long a translated stream may stay silent before a <c>ping</c> event is sent.</summary>
    public double PingIntervalSeconds { get; set; } = 10;

    /// <summary>
    /// Prices by model, overriding the built-in table: <c>model</c>, <c>provider:model</c>, or either ending in
    /// <c>*</c> for a prefix.
    /// </summary>
    public Dictionary<string, ModelPrice>? Prices { get; set; }

    public LedgerConfig Ledger { get; set; } = new();

    /// <summary>Team mode: replicas on PostgreSQL and Redis. Null (the default) is the single-user router.</summary>
    public TeamConfig? Team { get; init; }
}
