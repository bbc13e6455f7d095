using Switchboard.Providers;

namespace Switchboard.Config;

/// <summary>
/// One loaded config and the providers built from it; requests hold a snapshot for their whole life. Not disposable:
/// providers share the process-wide <see cref="UpstreamClient"/> and own nothing, and a replaced snapshot may still
/// serve requests that started before the reload, so there is no moment at which releasing it would be safe anyway.
/// </summary>
public sealed class ConfigSnapshot
{
    public ConfigSnapshot(SwitchboardConfig config, ProviderRegistry registry, long version)
    {
        Config = config;
        Version = version;
        Providers = config.Providers.ToDictionary(
            pair => pair.Key,
            pair => registry.Get(pair.Value.Type).Create(pair.Key, pair.Value),
            StringComparer.Ordinal);
    }

    public SwitchboardConfig Config { get; }
    public long Version { get; }
    public IReadOnlyDictionary<string, IProvider> Providers { get; }
}
