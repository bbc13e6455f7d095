using System.Text.Json.Nodes;

namespace Switchboard.Providers.OpenAI;

/// <summary>One request on its way out, as transformers see it: the translated body and the extra headers.</summary>
internal sealed class OpenAIExchange(JsonObject body)
{
    public JsonObject Body { get; } = body;
    public Dictionary<string, string> Headers { get; } = new(StringComparer.OrdinalIgnoreCase);
}
