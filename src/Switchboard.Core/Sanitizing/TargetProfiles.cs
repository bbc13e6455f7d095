using Switchboard.Anthropic;
using Switchboard.Config;
using Switchboard.Providers;

namespace Switchboard.Sanitizing;

/// <summary>
/// The profile of each provider type (and API mode), plus what the model itself can do: vision from config
/// (<c>perModel.*.vision</c>, else <c>vision</c>), else from the provider's model catalog (Ollama's <c>/api/show</c>), else assumed.
/// </summary>
public static class TargetProfiles
{
    public static async Task<TargetProfile> ForAsync(
        IProvider provider, ProviderConfig config, MessagesRequest request, CancellationToken cancellationToken)
    {
        var model = request.Model ?? "";
        var profile = For(provider.Name, config, model);
        // Only a request that carries images needs to know; the others never ask the catalog.
        if (config.VisionOf(model) is null && provider is IModelCatalog catalog && ImageStripper.HasImages(request))
        {
            var capabilities = await catalog.DescribeModelAsync(model, cancellationToken).ConfigureAwait(false);
            // When the provider cannot tell, images are left for the model to refuse rather than lost here.
            if (!ReferenceEquals(capabilities, ModelCapabilities.Unknown)) profile = profile with { Vision = capabilities.Vision };
        }
        return profile;
    }

    /// <summary>The profile without asking the provider anything: the type's rules and the config's vision for the model.</summary>
    public static TargetProfile For(string provider, ProviderConfig config, string model)
    {
        var profile = (config.Type, config.Api) switch
        {
            ("anthropic", _) => Anthropic(provider, model),
            // InvokeModel takes the Anthropic body, but not the system turns of Anthropic's newer betas.
            ("bedrock", "anthropic") => Anthropic(provider, model) with { AcceptsMidConversationSystem = false },
            ("bedrock", _) => Translated(provider, model) with { ToolIds = ToolIdRule.Anthropic },
            ("ollama", "anthropic") => new TargetProfile
            {
                Provider = provider, Model = model, Wire = TargetWire.AnthropicCompatible, ToolIds = ToolIdRule.Anthropic,
                AcceptsMidConversationSystem = false, CanForceToolChoice = false,
            },
            ("ollama", _) => Translated(provider, model) with { CanForceToolChoice = false },
            ("openai", _) => Translated(provider, model) with { ToolIds = ToolIdRule.OpenAI },
            _ => Translated(provider, model),
        };
        return config.VisionOf(model) is { } vision ? profile with { Vision = vision } : profile;
    }

    private static TargetProfile Anthropic(string provider, string model) => new()
    {
        Provider = provider, Model = model, Wire = TargetWire.Anthropic, ToolIds = ToolIdRule.Anthropic,
        VerifiesThinkingSignatures = true, HonorsStructuredOutputs = true,
    };

    /// <summary>A translating provider: its mapper decides what reaches the wire; ids, images and pairing are repaired here.</summary>
    private static TargetProfile Translated(string provider, string model) => new()
    {
        Provider = provider, Model = model, Wire = TargetWire.Translated,
    };
}
