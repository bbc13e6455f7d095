using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using System.Diagnostics.CodeAnalysis;

namespace Switchboard.Providers;

/// <summary>
/// The provider factories of a run, by their config <c>type</c>: those of <see cref="ProviderKinds.All"/> (where adding
/// a provider is one line), plus a test's own. Each factory says which keys it takes and whether an entry is local, and
/// its providers give their own sanitizing profile. The order is the order in which misplaced keys are reported.
/// </summary>
public sealed class ProviderRegistry
{
    private readonly Dictionary<string, IProviderFactory> _factories = new(StringComparer.Ordinal);

    public ProviderRegistry(IEnumerable<IProviderFactory> factories)
    {
        foreach (var factory in factories) _factories.Add(factory.Type, factory);
    }

    public static ProviderRegistry CreateDefault(
        UpstreamClient upstream, ILoggerFactory? loggers = null, Anthropic.SubscriptionToken? subscription = null)
    {
        var services = new ProviderServices(upstream, loggers ?? NullLoggerFactory.Instance, subscription);
        return new(ProviderKinds.All.Select(kind => kind.CreateFactory(services)));
    }

    public IEnumerable<string> Types => _factories.Keys;
    public IEnumerable<IProviderFactory> Factories => _factories.Values;

    public bool TryGet(string type, [NotNullWhen(true)] out IProviderFactory? factory) =>
        _factories.TryGetValue(type, out factory);

    public IProviderFactory Get(string type) =>
        TryGet(type, out var factory) ? factory : throw new KeyNotFoundException($"unknown provider type '{type}'");
}
