using System.Text.Json.Nodes;

namespace Switchboard.Providers.OpenAI.Transformers;

/// <summary>
/// <c>"streamoptions"</c>: Switchboard always asks a stream for its usage (<c>{"include_usage": true}</c>). With
/// options, <c>stream_options</c> is exactly them (vLLM's <c>continuous_usage_stats</c>, say); without, it is removed,
/// for servers that refuse the field.
/// </summary>
internal sealed class StreamOptionsTransformer : ITransformer
{
    private readonly JsonObject? _options;

    public StreamOptionsTransformer(TransformerOptions options) =>
        _options = options.IsEmpty ? null : JsonObject.Create(options.Object);

    public void Apply(OpenAIExchange exchange)
    {
        if (_options is null || exchange.Body["stream"]?.GetValue<bool>() != true) exchange.Body.Remove("stream_options");
        else exchange.Body["stream_options"] = _options.DeepClone();
    }
}
