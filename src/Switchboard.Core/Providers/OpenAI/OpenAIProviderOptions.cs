using System.Text.Json;
using Switchboard.Config;

namespace Switchboard.Providers.OpenAI;

/// <summary>
/// The keys of a provider entry that only <c>openai</c> takes, <c>perModel.*.transformers</c> included; its factory and
/// provider read them here.
/// </summary>
internal sealed record OpenAIProviderOptions(string? Preset, List<JsonElement>? Transformers)
{
    /// <summary>These keys as the config validator checks them: set on an entry of another type, they are misplaced.</summary>
    public static IReadOnlyList<ProviderOption> Keys { get; } =
    [
        new("preset", config => Of(config).Preset is not null),
        new("transformers", config => Of(config).Transformers is not null),
        new("perModel.*.transformers", config => config.PerModel?.Values.Any(settings => settings.Transformers is not null) == true),
    ];

    public static OpenAIProviderOptions Of(ProviderConfig config) => new(config.Preset, config.Transformers);
}
