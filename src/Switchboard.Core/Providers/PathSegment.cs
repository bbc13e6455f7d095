using Switchboard.Anthropic;

namespace Switchboard.Providers;

/// <summary>
/// A model name as one segment of an upstream URL. Unescaped, <c>gm:../../x</c> walks out of <c>/models/</c> and
/// <c>gemini-x?key=…</c> rewrites the query, with the provider's key on the request. Escaping makes <c>/</c>,
/// <c>?</c>, <c>#</c>, <c>%</c> and spaces data; a segment that is only dots cannot be escaped (<see cref="Uri"/>
/// resolves <c>%2E%2E</c> like <c>..</c>), so it is refused: routing already refuses such names, this is the last guard.
/// </summary>
internal static class PathSegment
{
    public static string Escape(string value) => value is "" or "." or ".."
        ? throw new AnthropicErrorException(AnthropicError.InvalidRequest(
            $"'{value}' cannot be sent as a model name: a URL resolves it away instead of sending it."))
        : Uri.EscapeDataString(value);
}
