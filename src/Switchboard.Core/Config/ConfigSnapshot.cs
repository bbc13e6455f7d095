using Switchboard.Providers;

namespace Switchboard.Config;

/// <summary>One loaded config and the providers built from it; requests hold a snapshot for their whole life.</summary>
public sealed class ConfigSnapshot : IDisposable
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

    public void Dispose()
    {
        // Providers share the process-wide HTTP client; nothing to release yet, but a provider may own resources.
        foreach (var provider in Providers.Values) (provider as IDisposable)?.Dispose();
    }
}
