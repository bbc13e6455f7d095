using Switchboard.Config;

namespace Switchboard.Providers.Gemini;

/// <summary><c>"type": "gemini"</c>: Google's Gemini API, keyed by <c>apiKey</c> (default <c>$GEMINI_API_KEY</c>).</summary>
internal sealed class GeminiProviderFactory(UpstreamClient upstream) : IProviderFactory
{
    internal static ProviderKind Kind { get; } = new()
    {
        Type = "gemini",
        CreateFactory = services => new GeminiProviderFactory(services.Upstream),
    };

    public string Type => Kind.Type;

    public IReadOnlyList<ProviderOption> Options { get; } = [];

    /// <summary>Gemini takes only the keys every provider takes; the config validator checks those.</summary>
    public IEnumerable<(string Path, string Problem)> Validate(ProviderConfig config) => [];

    /// <summary>Google's models, or a proxy in front of them even at a local address: priced like Gemini.</summary>
    public bool IsLocal(ProviderConfig config) => false;

    public IProvider Create(string name, ProviderConfig config) => new GeminiProvider(name, config, upstream);
}
