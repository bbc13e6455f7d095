using System.Text.Json;
using System.Text.Unicode;

namespace Switchboard.Anthropic;

/// <summary>
/// Reads a Messages request body, or says in Anthropic's words what is wrong with it: bytes that are not UTF-8,
/// JSON that does not parse (Anthropic: <c>The request body is not valid JSON: …</c>), a value of the wrong type
/// (<c>max_tokens: Input should be a valid integer</c>), half a surrogate pair. What it returns is well-formed;
/// whether it is a valid request is <see cref="RequestValidator"/>'s question.
/// </summary>
public static class RequestParser
{
    public static MessagesRequest Parse(ReadOnlySpan<byte> body)
    {
        if (!Utf8.IsValid(body))
            throw Invalid($"The request body is not valid UTF-8 (the first bad byte is at offset {FirstInvalidByte(body)}); " +
                          "send the JSON encoded as UTF-8.");
        // Before the typed read, which would only say that a string "could not be converted".
        if (UnpairedSurrogates.Find(body) is { } where)
            throw Invalid($"The request body is not valid JSON: no low surrogate in string at {where} (half of a \\uD800-\\uDFFF " +
                          "pair, as when a string is cut inside an emoji); send the whole pair or neither.");
        MessagesRequest? request;
        try
        {
            request = JsonSerializer.Deserialize(body, AnthropicJson.Default.MessagesRequest);
        }
        catch (JsonException ex)
        {
            throw new AnthropicErrorException(AnthropicError.InvalidRequest(Describe(ex)), ex);
        }
        if (request is null) throw Invalid("The request body must be a JSON object (a Messages API request), not null.");
        return request;
    }

    /// <summary>A parse failure in Anthropic's words, naming the path.</summary>
    internal static string Describe(JsonException ex)
    {
        var path = JsonFailure.Dotted(JsonFailure.FullPath(ex));
        if (JsonFailure.Expected(ex, AnthropicJson.Default.MessagesRequest) is { } expected)
            return path.Length == 0
                ? "The request body must be a JSON object (a Messages API request)."
                : $"{path}: Input should be {expected}";
        var where = ex.LineNumber is { } line && ex.BytePositionInLine is { } column ? $" (line {line + 1}, column {column + 1})" : "";
        var message = JsonFailure.CoreMessage(ex);
        if (message.Contains("maximum configured depth", StringComparison.Ordinal))
            return $"The request body nests JSON more than 64 levels deep{where}; flatten the deepest value.";
        return $"The request body is not valid JSON{where}: {message}";
    }

    private static int FirstInvalidByte(ReadOnlySpan<byte> body)
    {
        var offset = 0;
        while (offset < body.Length)
        {
            if (System.Text.Rune.DecodeFromUtf8(body[offset..], out _, out var consumed) != System.Buffers.OperationStatus.Done) return offset;
            offset += consumed;
        }
        return offset;
    }

    private static AnthropicErrorException Invalid(string message) => new(AnthropicError.InvalidRequest(message));
}
