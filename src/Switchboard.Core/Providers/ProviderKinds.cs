using Switchboard.Config;

namespace Switchboard.Providers;

/// <summary>
/// Every provider type the build knows, in the registry's order (the order in which misplaced keys are reported).
/// Adding a provider is one line here; its kind and factory say the rest.
/// </summary>
internal static class ProviderKinds
{
    public static IReadOnlyList<ProviderKind> All { get; } =
    [
        Anthropic.AnthropicProviderFactory.Kind,
        Ollama.OllamaProviderFactory.Kind,
        OpenAI.OpenAIProviderFactory.Kind,
        Gemini.GeminiProviderFactory.Kind,
        Bedrock.BedrockProviderFactory.Kind,
    ];

    /// <summary>The kind of <paramref name="type"/>; null for a type this build does not know (a test's extra provider).</summary>
    public static ProviderKind? Find(string type) => All.FirstOrDefault(kind => kind.Type == type);

    /// <summary>The kind of <paramref name="config"/>'s type; null when the build does not know it.</summary>
    public static ProviderKind? Of(ProviderConfig config) => Find(config.Type);
}
