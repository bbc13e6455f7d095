using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using System.Diagnostics.CodeAnalysis;

namespace Switchboard.Providers;

/// <summary>
/// Every provider type the build knows, by its config <c>type</c>. Adding a provider is one line here; its factory
/// says which keys it takes, whether it is local, and its providers give their own sanitizing profile. The order is
/// the order in which misplaced keys are reported.
/// </summary>
public sealed class ProviderRegistry
{
    private readonly Dictionary<string, IProviderFactory> _factories = new(StringComparer.Ordinal);

    public ProviderRegistry(IEnumerable<IProviderFactory> factories)
    {
        foreach (var factory in factories) _factories.Add(factory.Type, factory);
    }

    public static ProviderRegistry CreateDefault(
        UpstreamClient upstream, ILoggerFactory? loggers = null, Anthropic.SubscriptionToken? subscription = null) => new([
        new Anthropic.AnthropicProviderFactory(upstream, subscription),
        new Ollama.OllamaProviderFactory(upstream, loggers ?? NullLoggerFactory.Instance),
        new OpenAI.OpenAIProviderFactory(upstream, loggers ?? NullLoggerFactory.Instance),
        new Gemini.GeminiProviderFactory(upstream),
        new Bedrock.BedrockProviderFactory(upstream),
    ]);

    public IEnumerable<string> Types => _factories.Keys;
    public IEnumerable<IProviderFactory> Factories => _factories.Values;

    public bool TryGet(string type, [NotNullWhen(true)] out IProviderFactory? factory) =>
        _factories.TryGetValue(type, out factory);

    public IProviderFactory Get(string type) =>
        TryGet(type, out var factory) ? factory : throw new KeyNotFoundException($"unknown provider type '{type}'");
}
