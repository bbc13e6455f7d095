using System.Text.Json.Serialization;

namespace Switchboard.Hosting;

/// <summary>Source-generated JSON for the server's own endpoints.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(HealthReport))]
[JsonSerializable(typeof(ServerInfo))]
[JsonSerializable(typeof(StatuslineReply))]
public sealed partial class HostJson : JsonSerializerContext;

public sealed record ServerInfo(string Name, string Version);

public sealed record HealthReport
{
    public required string Status { get; init; }
    public required string Version { get; init; }
    public required long UptimeSeconds { get; init; }
    public required int Pid { get; init; }
    public required string Url { get; init; }
    public required ConfigHealth Config { get; init; }

    /// <summary>Null for a caller without the client key, when one is set (see <see cref="InfoEndpoints.HealthAsync"/>).</summary>
    public List<ProviderSummary>? Providers { get; init; }

    /// <summary>What is wrong though the server answers, each saying what to do (an apiKey whose variable is empty).</summary>
    public List<string>? Warnings { get; init; }

    /// <summary>Whether discovery mode's swap uses a <c>claude setup-token</c> token from the router's environment.</summary>
    public bool SetupTokenLogin { get; init; }

    /// <summary>Team mode's state on this replica; null (left out) without a <c>team</c> section.</summary>
    public TeamHealth? Team { get; init; }
}

/// <summary>
/// One replica of a team gateway: its id (stable for the process), whether PostgreSQL and Redis answered just now,
/// and the hash of its loaded config, which every replica of one gateway should share.
/// </summary>
public sealed record TeamHealth(string Replica, bool Postgres, bool Redis, string ConfigHash)
{
    /// <summary>Every live replica (by heartbeat in Redis), this one included; null when Redis does not answer.</summary>
    public List<TeamPeer>? Peers { get; init; }

    /// <summary>Whether every live replica runs this replica's config hash; null when the peers are not known.</summary>
    public bool? SameConfig { get; init; }
}

/// <summary>A live replica of the gateway, as its heartbeat says, and whether it runs the same config as the one asked.</summary>
public sealed record TeamPeer(string Replica, string Address, string ConfigHash, bool SameConfig);

/// <summary>The config's state; <see cref="File"/> and <see cref="Problems"/> are null for a caller without the key.</summary>
public sealed record ConfigHealth(string? File, bool Valid, long Version, List<string>? Problems);

public sealed record ProviderSummary(string Name, string Type, string? BaseUrl);
