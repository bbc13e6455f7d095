using System.Collections.Concurrent;

namespace Switchboard.Hosting;

/// <summary>
/// Why each provider's model list was last left out, so the warning is logged when a reason appears or changes, not
/// on every <c>GET /v1/models</c> (Claude Code asks at every start and every <c>/model</c>). Keyed by the config's
/// provider names, so it never holds more entries than the config has providers (and a few renamed ones).
/// </summary>
internal sealed class ModelListWarnings
{
    private readonly ConcurrentDictionary<string, string> _reasons = new(StringComparer.Ordinal);

    /// <summary>Records <paramref name="reason"/>; true when it is not what was last recorded for the provider.</summary>
    public bool IsNew(string provider, string reason)
    {
        var isNew = !_reasons.TryGetValue(provider, out var last) || last != reason;
        _reasons[provider] = reason;
        return isNew;
    }

    /// <summary>The provider listed its models: the next failure is news again.</summary>
    public void Listed(string provider) => _reasons.TryRemove(provider, out _);
}
