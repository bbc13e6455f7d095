using Switchboard.Anthropic;
using Switchboard.Config;
using Switchboard.Providers;

namespace Switchboard.Sanitizing;

/// <summary>
/// The profile the provider gives for the model (<see cref="IProvider.Profile"/>), plus what the model itself can see:
/// vision from config (<c>perModel.*.vision</c>, else <c>vision</c>), else from the provider's model catalog (Ollama's
/// <c>/api/show</c>), else as the provider said.
/// </summary>
internal static class TargetProfiles
{
    public static async Task<TargetProfile> ForAsync(
        IProvider provider, ProviderConfig config, MessagesRequest request, CancellationToken cancellationToken)
    {
        var model = request.Model ?? "";
        var profile = For(provider, config, model);
        // Only a request that carries images needs to know; the others never ask the catalog.
        if (config.VisionOf(model) is null && provider is IModelCatalog catalog && ImageStripper.HasImages(request))
        {
            var capabilities = await catalog.DescribeModelAsync(model, cancellationToken).ConfigureAwait(false);
            // When the provider cannot tell, images are left for the model to refuse rather than lost here.
            if (capabilities.Known) profile = profile with { Vision = capabilities.Vision };
        }
        return profile;
    }

    /// <summary>The profile without asking the provider's catalog: the provider's rules and the config's vision for the model.</summary>
    public static TargetProfile For(IProvider provider, ProviderConfig config, string model)
    {
        var profile = provider.Profile(model);
        return config.VisionOf(model) is { } vision ? profile with { Vision = vision } : profile;
    }
}
