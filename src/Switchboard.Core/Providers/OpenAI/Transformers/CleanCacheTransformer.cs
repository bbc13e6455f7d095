namespace Switchboard.Providers.OpenAI.Transformers;

/// <summary>
/// <c>"cleancache"</c>: sends no <c>cache_control</c> marks, for servers behind OpenRouter (or any that forwards
/// them) that refuse them.
/// </summary>
internal sealed class CleanCacheTransformer : ITransformer
{
    public CleanCacheTransformer(TransformerOptions options) => options.AllowOnly();

    public void Configure(OpenAISettings settings) => settings.ForwardsCacheControl = false;
}
