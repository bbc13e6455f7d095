using System.Text.Json.Nodes;
using Switchboard.Anthropic;

namespace Switchboard.Providers.OpenAI;

/// <summary>One request on its way out, as transformers see it: the translated body and the extra headers.</summary>
internal sealed class OpenAIExchange(MessagesRequest source, OpenAISettings settings, JsonObject body)
{
    /// <summary>What the client asked, before translation.</summary>
    public MessagesRequest Source { get; } = source;
    public OpenAISettings Settings { get; } = settings;
    public JsonObject Body { get; } = body;
    public Dictionary<string, string> Headers { get; } = new(StringComparer.OrdinalIgnoreCase);
}
