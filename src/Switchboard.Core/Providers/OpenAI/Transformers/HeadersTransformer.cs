using System.Text.Json;
using Switchboard.Config;

namespace Switchboard.Providers.OpenAI.Transformers;

/// <summary><c>["headers", {"X-Name": "value"}]</c>: extra HTTP headers (values may use <c>$VAR</c>), e.g. for one model only.</summary>
internal sealed class HeadersTransformer : ITransformer
{
    private readonly Dictionary<string, string> _headers = new(StringComparer.OrdinalIgnoreCase);

    public HeadersTransformer(TransformerOptions options)
    {
        if (options.IsEmpty) throw options.Problem("needs the headers to send, e.g. [\"headers\", {\"X-Title\": \"me\"}]");
        foreach (var property in options.Properties)
            _headers[property.Name] = property.Value.ValueKind == JsonValueKind.String
                ? property.Value.GetString()!
                : throw options.Problem($"header '{property.Name}' must be a string");
    }

    public void Apply(OpenAIExchange exchange)
    {
        foreach (var (name, value) in _headers) exchange.Headers[name] = EnvExpander.Expand(value);
    }
}
