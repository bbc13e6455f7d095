using Switchboard.Config;
using Switchboard.Providers.Ollama;

namespace Switchboard.Hosting;

/// <summary>
/// What one run of <c>serve</c> or <c>code</c> changes without writing the config (the one-line flags of claude-code-ollama-proxy, which it replaces):
/// <c>--ollama-url</c>, <c>--default-model</c>, <c>--model-map FROM=TO</c>, <c>--strict-thinking</c>. Applied to every
/// load of the file, so a reload during the run keeps them.
/// </summary>
public sealed record RunOverrides
{
    /// <summary>The provider <c>--ollama-url</c> points elsewhere (and creates, when the config has none).</summary>
    public const string LocalOllama = "ollama-local";

    public static readonly RunOverrides None = new();

    /// <summary>The type both Ollama flags are about; no other provider type has their meaning.</summary>
    private static string OllamaType => Providers.Ollama.OllamaProviderFactory.Kind.Type;

    public string? OllamaUrl { get; init; }

    /// <summary>The <c>default</c> route: a target such as <c>ollama-local:qwen3:8b</c>.</summary>
    public string? DefaultModel { get; init; }

    public IReadOnlyList<KeyValuePair<string, string>> ModelMap { get; init; } = [];

    /// <summary>Every Ollama provider answers an explicit thinking budget for a model that cannot think with a 400.</summary>
    public bool StrictThinking { get; init; }

    public bool IsEmpty => OllamaUrl is null && DefaultModel is null && ModelMap.Count == 0 && !StrictThinking;

    public SwitchboardConfig Apply(SwitchboardConfig config)
    {
        if (IsEmpty) return config;
        var providers = new Dictionary<string, ProviderConfig>(config.Providers, StringComparer.Ordinal);
        if (OllamaUrl is not null)
            providers[LocalOllama] = providers.TryGetValue(LocalOllama, out var local)
                ? local with { BaseUrl = OllamaUrl }
                : new ProviderConfig { Type = OllamaType, BaseUrl = OllamaUrl };
        if (StrictThinking)
            foreach (var (name, provider) in providers.Where(pair => pair.Value.Type == OllamaType).ToList())
                providers[name] = OllamaProviderOptions.StrictThinkingKey.With(provider, true);

        var routes = config.Routes ?? new RoutesConfig();
        if (DefaultModel is not null) routes = routes with { Default = new TargetList { Targets = [DefaultModel] } };

        var modelMap = config.ModelMap;
        if (ModelMap.Count > 0)
        {
            modelMap = new Dictionary<string, string>(config.ModelMap ?? [], StringComparer.Ordinal);
            foreach (var (from, to) in ModelMap) modelMap[from] = to;
        }
        return config with { Providers = providers, Routes = routes, ModelMap = modelMap };
    }

    /// <summary>Reads <c>FROM=TO</c>; null when it is not that shape.</summary>
    public static KeyValuePair<string, string>? ParseMapping(string text)
    {
        var equals = text.IndexOf('=');
        if (equals <= 0 || equals == text.Length - 1) return null;
        return new(text[..equals], text[(equals + 1)..]);
    }
}
