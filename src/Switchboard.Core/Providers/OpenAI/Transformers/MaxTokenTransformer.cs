using System.Text.Json;

namespace Switchboard.Providers.OpenAI.Transformers;

/// <summary>
/// <c>["maxtoken", {"max_tokens": 16384}]</c>: caps the output tokens asked for. Claude Code asks for up to 128000,
/// more than most models allow, and servers answer that with a 400.
/// </summary>
internal sealed class MaxTokenTransformer : ITransformer
{
    private readonly int _cap;

    public MaxTokenTransformer(TransformerOptions options)
    {
        options.AllowOnly("max_tokens");
        _cap = options.Get("max_tokens") is { ValueKind: JsonValueKind.Number } value && value.TryGetInt32(out var cap) && cap > 0
            ? cap
            : throw options.Problem("needs a positive whole number in max_tokens, e.g. [\"maxtoken\", {\"max_tokens\": 16384}]");
    }

    public void Apply(OpenAIExchange exchange)
    {
        var body = exchange.Body;
        foreach (var field in (string[])["max_tokens", "max_completion_tokens"])
            if (body[field] is { } node && node.GetValue<int>() > _cap) body[field] = _cap;
    }
}
