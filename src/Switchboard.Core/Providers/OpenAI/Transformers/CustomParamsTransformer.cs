using System.Text.Json.Nodes;

namespace Switchboard.Providers.OpenAI.Transformers;

/// <summary>
/// <c>["customparams", {…}]</c>: merges extra fields into the request body, objects merged key by key
/// (<c>{"chat_template_kwargs": {"reasoning_effort": "high"}}</c>, OpenRouter's <c>{"provider": {"order": […]}}</c>);
/// a null removes a field.
/// </summary>
internal sealed class CustomParamsTransformer : ITransformer
{
    private readonly JsonObject _fields;

    public CustomParamsTransformer(TransformerOptions options) =>
        _fields = options.IsEmpty
            ? throw options.Problem("needs the fields to add, e.g. [\"customparams\", {\"provider\": {\"order\": [\"groq\"]}}]")
            : JsonObject.Create(options.Object)!;

    public void Apply(OpenAIExchange exchange) => Merge(exchange.Body, _fields);

    private static void Merge(JsonObject target, JsonObject fields)
    {
        foreach (var (key, value) in fields)
        {
            if (value is null) target.Remove(key);
            else if (value is JsonObject inner && target[key] is JsonObject existing) Merge(existing, inner);
            else target[key] = value.DeepClone();
        }
    }
}
