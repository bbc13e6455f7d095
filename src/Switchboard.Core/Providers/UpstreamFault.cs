using System.Net.Http;
using System.Net.Sockets;
using System.Text.Json;
using Switchboard.Anthropic;

namespace Switchboard.Providers;

/// <summary>
/// A failure of the upstream itself, however it surfaced (a reset connection, a body that ended early, bytes that do
/// not parse), mapped once to what the client is told: a 502 that names the provider and says what happened. Silence
/// is a 504, said by <see cref="UpstreamBody"/>. An exception Switchboard raised on purpose passes through as it is.
/// </summary>
public static class UpstreamFault
{
    /// <summary>The Anthropic error for <paramref name="exception"/>, raised while talking to <paramref name="provider"/>.</summary>
    public static AnthropicErrorException From(Exception exception, string provider) => exception switch
    {
        AnthropicErrorException known => known,
        JsonException json => Broken(provider, $"sent JSON that does not parse ({FirstSentence(json.Message)})", exception),
        HttpIOException io => Broken(provider, Describe(io), exception),
        IOException { InnerException: SocketException socket } => Broken(provider, Describe(socket), exception),
        IOException io => Broken(provider, $"broke off its reply ({FirstSentence(io.Message)})", exception),
        HttpRequestException http => Broken(provider, $"failed mid-reply ({FirstSentence(http.Message)})", exception),
        FormatException or InvalidDataException or System.Text.DecoderFallbackException =>
            Broken(provider, $"sent a reply that could not be read ({FirstSentence(exception.Message)})", exception),
        _ => Broken(provider, $"sent a reply Switchboard could not handle ({exception.GetType().Name}: {FirstSentence(exception.Message)})", exception),
    };

    /// <summary>
    /// Whether <paramref name="exception"/> is the upstream's failure rather than the client's departure: anything but a
    /// cancellation of <paramref name="clientGone"/>.
    /// </summary>
    public static bool IsUpstream(Exception exception, CancellationToken clientGone) =>
        !(clientGone.IsCancellationRequested && exception is OperationCanceledException or IOException or HttpRequestException);

    /// <summary>
    /// What an upstream's HTTP error status means to an Anthropic client, for a provider that has nothing more specific to
    /// say: a refusal keeps its 4xx; 503 and 529 are Anthropic's "overloaded" (which Claude Code waits out); a timeout is
    /// a 504; any other 5xx is the provider's failure, a 502. <paramref name="retryAfterSeconds"/> goes with 429 and 529.
    /// </summary>
    public static AnthropicError ForStatus(int status, string message, int? retryAfterSeconds = null)
    {
        var mapped = status switch
        {
            422 => 400,
            408 or 504 => 504,
            503 or 529 => 529,
            >= 400 and < 500 => status,
            _ => 502,
        };
        return new AnthropicError(mapped, mapped == 504 ? ErrorTypes.Api : AnthropicError.TypeForStatus(mapped), message)
        {
            RetryAfterSeconds = mapped is 429 or 529 ? retryAfterSeconds : null,
        };
    }

    public static AnthropicErrorException Broken(string provider, string what, Exception? inner = null) =>
        new(AnthropicError.Api($"Provider '{provider}' {what}.", 502), inner);

    private static string Describe(HttpIOException io) => io.HttpRequestError switch
    {
        HttpRequestError.ResponseEnded => "closed the connection before its reply was complete",
        HttpRequestError.InvalidResponse => "sent a reply that is not valid HTTP",
        HttpRequestError.ConfigurationLimitExceeded => "sent a reply over the HTTP client's limits",
        _ when io.InnerException is SocketException socket => Describe(socket),
        _ => $"broke off its reply ({FirstSentence(io.Message)})",
    };

    private static string Describe(SocketException socket) => socket.SocketErrorCode switch
    {
        SocketError.ConnectionReset => "reset the connection mid-reply",
        SocketError.ConnectionAborted => "aborted the connection mid-reply",
        SocketError.TimedOut => "timed out mid-reply",
        _ => $"broke off its reply ({socket.Message})",
    };

    private static string FirstSentence(string message)
    {
        var cut = message.IndexOfAny(['\n', '\r']);
        var line = cut < 0 ? message : message[..cut];
        var path = line.IndexOf(" Path:", StringComparison.Ordinal);
        if (path > 0) line = line[..path];
        return line.TrimEnd('.', ' ');
    }
}
