using System.Text.Json;
using System.Text.Json.Nodes;

namespace Switchboard.Providers.OpenAI.Transformers;

/// <summary>
/// <c>["sampling", {"temperature": 0.6, "top_k": null}]</c>: sets a sampling setting (a number) or strips it (null).
/// Plain <c>"sampling"</c> strips all four, for models that refuse any of them.
/// </summary>
internal sealed class SamplingTransformer : ITransformer
{
    private static readonly string[] Keys = ["temperature", "top_p", "top_k", "repetition_penalty"];

    private readonly Dictionary<string, double?> _settings = [];

    public SamplingTransformer(TransformerOptions options)
    {
        options.AllowOnly(Keys);
        if (options.IsEmpty)
        {
            foreach (var key in Keys) _settings[key] = null;
            return;
        }
        foreach (var property in options.Properties)
        {
            _settings[property.Name] = property.Value.ValueKind switch
            {
                JsonValueKind.Null => null,
                JsonValueKind.Number => property.Value.GetDouble(),
                _ => throw options.Problem($"option '{property.Name}' must be a number (to set it) or null (to strip it)"),
            };
        }
    }

    public void Apply(OpenAIExchange exchange)
    {
        foreach (var (key, value) in _settings)
        {
            if (value is null) exchange.Body.Remove(key);
            else exchange.Body[key] = key == "top_k" ? JsonValue.Create((int)value.Value) : JsonValue.Create(value.Value);
        }
    }
}
