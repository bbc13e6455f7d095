using Microsoft.Extensions.Logging;
using Switchboard.Providers;

namespace Switchboard.Config;

/// <summary>
/// The config as it serves requests. Each read checks the file's timestamp and size (a stat, no parse); a changed
/// file is reloaded and swapped in whole. A broken edit is logged once and reported in <see cref="Problems"/>, and the
/// last good snapshot keeps serving. The first load fails fast instead.
/// </summary>
public sealed partial class ConfigStore
{
    private readonly string _file;
    private readonly ProviderRegistry _registry;
    private readonly Func<SwitchboardConfig, SwitchboardConfig> _overrides;
    private readonly ILogger _logger;
    private readonly Lock _reloadLock = new();
    private volatile ConfigSnapshot _current;
    private (DateTime WriteTime, long Length) _seen;

    public ConfigStore(
        string file,
        ProviderRegistry registry,
        ILogger logger,
        Func<SwitchboardConfig, SwitchboardConfig>? overrides = null)
    {
        _file = file;
        _registry = registry;
        _logger = logger;
        _overrides = overrides ?? (config => config);
        _seen = Stamp();
        var config = _overrides(ConfigLoader.Load(file, registry));
        _current = new ConfigSnapshot(config, registry, version: 1);
    }

    public string File => _file;

    /// <summary>The provider types the file is checked against (the config editor checks edits the same way).</summary>
    public ProviderRegistry Registry => _registry;

    /// <summary>Problems with the file as it is now on disk; empty when the serving config is the file's.</summary>
    public IReadOnlyList<ConfigError> Problems { get; private set; } = [];

    public ConfigSnapshot Current
    {
        get
        {
            if (Stamp() != _seen) Reload();
            return _current;
        }
    }

    /// <summary>
    /// The snapshot last loaded, without looking at the file: for what runs inside a request that already read
    /// <see cref="Current"/> (the upstream proxy, per send), so the file is checked once per request, not per use.
    /// </summary>
    public ConfigSnapshot Loaded => _current;

    private void Reload()
    {
        lock (_reloadLock)
        {
            var stamp = Stamp();
            if (stamp == _seen) return;
            _seen = stamp;
            var (config, errors) = ConfigLoader.TryLoad(_file, _registry);
            if (config is null)
            {
                Problems = errors;
                LogRejected(_logger, _file, string.Join("; ", errors));
                return;
            }
            Problems = [];
            _current = new ConfigSnapshot(_overrides(config), _registry, _current.Version + 1);
            LogReloaded(_logger, _file, _current.Version);
        }
    }

    private (DateTime, long) Stamp()
    {
        var info = new FileInfo(_file);
        return info.Exists ? (info.LastWriteTimeUtc, info.Length) : (DateTime.MinValue, -1);
    }

    [LoggerMessage(EventIds.ConfigReloaded, LogLevel.Information, "Config reloaded from {File} (version {Version})")]
    private static partial void LogReloaded(ILogger logger, string file, long version);

    [LoggerMessage(EventIds.ConfigRejected, LogLevel.Error, "Config edit rejected, still serving the last good config. {File}: {Problems}")]
    private static partial void LogRejected(ILogger logger, string file, string problems);
}
