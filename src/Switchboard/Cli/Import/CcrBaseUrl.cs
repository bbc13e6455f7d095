namespace Switchboard.Cli.Import;

/// <summary>
/// CCR's <c>api_base_url</c> is the endpoint its transformer posts to (<c>…/v1/chat/completions</c>,
/// <c>…/v1/messages</c>, Gemini's <c>…/v1beta/models/</c> to which it appends the model); ours is the base each
/// provider builds its own paths on. Kept verbatim, Gemini's became <c>…/v1beta/models/v1beta/models/…</c>.
/// </summary>
internal static class CcrBaseUrl
{
    /// <summary>The endpoint tails CCR users write, per provider type, longest first; each is cut off.</summary>
    private static readonly Dictionary<string, string[]> Tails = new(StringComparer.Ordinal)
    {
        // OpenAIEndpoint appends /chat/completions and finds /models beside it.
        ["openai"] = ["/chat/completions"],
        // AnthropicProvider appends /v1/messages (a trailing /v1 is tolerated there too).
        ["anthropic"] = ["/v1/messages", "/messages"],
        // OllamaEndpoint appends /api/chat, /api/tags… to the server's root.
        ["ollama"] = ["/v1/chat/completions", "/v1/messages", "/api/chat", "/v1", "/api"],
    };

    /// <summary>The baseUrl a provider of <paramref name="type"/> expects for CCR's <paramref name="url"/>.</summary>
    public static string Normalise(string type, string url)
    {
        var trimmed = url.Trim().TrimEnd('/');
        if (type == "gemini") return GeminiBase(trimmed);
        foreach (var tail in Tails.GetValueOrDefault(type, []))
            if (trimmed.EndsWith(tail, StringComparison.OrdinalIgnoreCase)) return trimmed[..^tail.Length];
        return trimmed;
    }

    /// <summary>
    /// An Ollama server, which ours talks to natively: the port Ollama listens on, or its own <c>/api/chat</c>
    /// (CCR's own docs point it at <c>http://localhost:11434/v1/chat/completions</c>).
    /// </summary>
    public static bool IsOllama(string url) =>
        Uri.TryCreate(url.Trim(), UriKind.Absolute, out var uri) &&
        (uri.Port == 11434 || uri.AbsolutePath.TrimEnd('/').EndsWith("/api/chat", StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// GeminiProvider takes the root or a URL ending in the API version: everything from <c>/models</c> on
    /// (<c>/models/</c>, <c>/models/gemini-2.5-pro:streamGenerateContent?alt=sse</c>) is CCR's and is cut off.
    /// </summary>
    private static string GeminiBase(string url)
    {
        var models = url.IndexOf("/models/", StringComparison.OrdinalIgnoreCase);
        if (models >= 0) return url[..models];
        return url.EndsWith("/models", StringComparison.OrdinalIgnoreCase) ? url[..^"/models".Length] : url;
    }
}
