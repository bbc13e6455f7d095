using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace Switchboard.Providers;

/// <summary>
/// The body of an upstream's error reply, read so that reading it can never be the next failure: at most
/// <see cref="MaxBytes"/>, under the provider's idle timeout, and whatever arrived if the body breaks off. What a
/// person should read of it is in <see cref="Readable"/>: a proxy's HTML page becomes its title or its text, never
/// markup in Claude Code's error line.
/// </summary>
public sealed partial record UpstreamErrorBody(string Text, string? MediaType)
{
    /// <summary>The reply's <c>retry-after</c>, in whole seconds, when it had one.</summary>
    public int? RetryAfterSeconds { get; init; }

    public const int MaxBytes = 64 * 1024;
    private const int MaxReadable = 300;

    public bool IsJson => MediaType is { } type && (type.EndsWith("/json", StringComparison.OrdinalIgnoreCase) || type.EndsWith("+json", StringComparison.OrdinalIgnoreCase))
                          || Text.TrimStart().StartsWith('{');

    public bool IsHtml => MediaType is "text/html" or "application/xhtml+xml" ||
                          Text.TrimStart().StartsWith('<') && Text.Contains("<html", StringComparison.OrdinalIgnoreCase);

    /// <summary>The body as a person should read it, in one short line.</summary>
    public string Readable
    {
        get
        {
            var text = Text;
            if (IsHtml)
            {
                var title = Title().Match(text);
                text = title.Success ? title.Groups[1].Value : Tags().Replace(Scripts().Replace(text, " "), " ");
                text = WebUtility.HtmlDecode(text);
            }
            text = Spaces().Replace(text, " ").Trim();
            if (text.Length == 0) return "(no details)";
            return text.Length > MaxReadable ? text[..MaxReadable] + "…" : text;
        }
    }

    /// <summary>What the body says, for an error message: its readable text, said to be a web page when it is one.</summary>
    public string Summary => IsHtml ? $"an HTML page: {Readable}" : Readable;

    public static async Task<UpstreamErrorBody> ReadAsync(
        HttpResponseMessage response, string provider, TimeSpan idleTimeout, CancellationToken cancellationToken)
    {
        await using var body = await UpstreamBody.OpenAsync(response, provider, idleTimeout, UpstreamFraming.Whole, cancellationToken).ConfigureAwait(false);
        return await ReadAsync(body, response.Content.Headers.ContentType?.MediaType, cancellationToken).ConfigureAwait(false) with
        {
            RetryAfterSeconds = RetryAfter(response),
        };
    }

    public static int? RetryAfter(HttpResponseMessage response)
    {
        var retry = response.Headers.RetryAfter;
        if (retry?.Delta is { } delta) return (int)Math.Ceiling(delta.TotalSeconds);
        if (retry?.Date is { } date) return Math.Max(1, (int)Math.Ceiling((date - DateTimeOffset.UtcNow).TotalSeconds));
        return null;
    }

    /// <summary>Reads what there is of an already guarded body (see <see cref="UpstreamBody"/>).</summary>
    public static async Task<UpstreamErrorBody> ReadAsync(UpstreamBody body, string? mediaType, CancellationToken cancellationToken)
    {
        var buffer = new byte[MaxBytes];
        var length = 0;
        try
        {
            int read;
            while (length < buffer.Length && (read = await body.ReadAsync(buffer.AsMemory(length), cancellationToken).ConfigureAwait(false)) > 0)
                length += read;
        }
        catch (Switchboard.Anthropic.AnthropicErrorException) when (!cancellationToken.IsCancellationRequested)
        {
            // The error reply itself broke off or went silent: what arrived is still the best account of it.
        }
        return new UpstreamErrorBody(Encoding.UTF8.GetString(buffer.AsSpan(0, length)), mediaType);
    }

    [GeneratedRegex(@"<title[^>]*>(.*?)</title>", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex Title();

    [GeneratedRegex(@"<(script|style)[^>]*>.*?</\1>", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex Scripts();

    [GeneratedRegex(@"<[^>]*>")]
    private static partial Regex Tags();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();
}
