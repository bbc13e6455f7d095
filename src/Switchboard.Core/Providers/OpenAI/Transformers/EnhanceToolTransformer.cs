namespace Switchboard.Providers.OpenAI.Transformers;

/// <summary>
/// <c>"enhancetool"</c>: each tool call is held until it is complete, then its arguments are healed (escaped or
/// broken JSON, wrong value types, near-miss parameter names; see <see cref="ToolCallRepair"/>) before Claude Code
/// sees it. Calls no longer stream, which is the price of being able to mend them.
/// </summary>
internal sealed class EnhanceToolTransformer : ITransformer
{
    public EnhanceToolTransformer(TransformerOptions options) => options.AllowOnly();

    public void Configure(OpenAISettings settings) => settings.HealsToolCalls = true;
}
