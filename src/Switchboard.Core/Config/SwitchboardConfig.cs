using System.Text.Json;
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

    /// <summary>Duty routes; interpreted by the routing layer.</summary>
    public JsonElement? Routes { get; set; }

    /// <summary>How long a translated stream may stay silent before a <c>ping</c> event is sent.</summary>
    public double PingIntervalSeconds { get; set; } = 10;

    /// <summary>
    /// Prices by model, overriding the built-in table: <c>model</c>, <c>provider:model</c>, or either ending in
    /// <c>*</c> for a prefix.
    /// </summary>
    public Dictionary<string, ModelPrice>? Prices { get; set; }

    public LedgerConfig Ledger { get; set; } = new();
}
