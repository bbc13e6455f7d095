using System.Net.Sockets;
using System.Text;

namespace Switchboard.Tests.Reliability;

/// <summary>
/// HTTP/1.x written by hand over a loopback socket, for what <see cref="HttpClient"/> will not send: a request target
/// exactly as given (<c>%2E%2E</c>, <c>%2F</c> unresolved), HTTP/1.0, headers or a body that trickle in. The reply is
/// read until the server closes the connection (requests say <c>Connection: close</c>).
/// </summary>
public static class RawHttp
{
    public sealed record Reply(int Status, string Headers, string Body)
    {
        /// <summary>The connection closed with nothing sent back.</summary>
        public static readonly Reply None = new(0, "", "");
    }

    /// <summary>A whole request: the request line, headers (Host and Content-Length added) and body, sent at once.</summary>
    public static Task<Reply> SendAsync(int port, string requestLine, byte[] body, CancellationToken cancellationToken, params string[] headers) =>
        ExchangeAsync(port, Head(requestLine, body.Length, headers), body, trickle: null, cancellationToken);

    /// <summary>
    /// The head at once, then the body one byte every <paramref name="every"/>, until the server answers (or closes) or
    /// the body is all sent: the answer is what ends the wait, not a guess at how long the server takes.
    /// </summary>
    public static Task<Reply> TrickleBodyAsync(int port, string requestLine, byte[] body, TimeSpan every, CancellationToken cancellationToken) =>
        ExchangeAsync(port, Head(requestLine, body.Length, []), body, every, cancellationToken);

    /// <summary>Sends <paramref name="partialHead"/> and never finishes it; returns once the server answers or closes.</summary>
    public static Task<Reply> StallHeadersAsync(int port, string partialHead, CancellationToken cancellationToken) =>
        ExchangeAsync(port, Encoding.ASCII.GetBytes(partialHead), [], trickle: null, cancellationToken);

    private static byte[] Head(string requestLine, int length, string[] headers) => Encoding.UTF8.GetBytes(
        $"{requestLine}\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: {length}\r\nConnection: close\r\n" +
        string.Concat(headers.Select(header => header + "\r\n")) + "\r\n");

    private static async Task<Reply> ExchangeAsync(int port, byte[] head, byte[] body, TimeSpan? trickle, CancellationToken cancellationToken)
    {
        using var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", port, cancellationToken);
        var stream = client.GetStream();
        await stream.WriteAsync(head, cancellationToken);
        var reading = ReadToEndAsync(stream, cancellationToken);
        if (trickle is not { } every)
        {
            await stream.WriteAsync(body, cancellationToken);
        }
        else
        {
            for (var i = 0; i < body.Length && !reading.IsCompleted; i++)
            {
                try
                {
                    await stream.WriteAsync(body.AsMemory(i, 1), cancellationToken);
                }
                catch (IOException)
                {
                    break; // the server gave up on the body and closed its side
                }
                await Task.WhenAny(reading, Task.Delay(every, cancellationToken));
            }
        }
        return Parse(await reading);
    }

    private static async Task<byte[]> ReadToEndAsync(NetworkStream stream, CancellationToken cancellationToken)
    {
        using var received = new MemoryStream();
        try
        {
            await stream.CopyToAsync(received, cancellationToken);
        }
        catch (IOException)
        {
            // A reset after the reply (the server closed with unread body bytes) still leaves the reply readable.
        }
        return received.ToArray();
    }

    private static Reply Parse(byte[] raw)
    {
        if (raw.Length == 0) return Reply.None;
        var split = raw.AsSpan().IndexOf("\r\n\r\n"u8);
        var head = Encoding.ASCII.GetString(raw, 0, split < 0 ? raw.Length : split);
        var body = split < 0 ? [] : raw[(split + 4)..];
        if (head.Contains("Transfer-Encoding: chunked", StringComparison.OrdinalIgnoreCase)) body = Dechunk(body);
        return new Reply(int.Parse(head.Split(' ', 3)[1]), head, Encoding.UTF8.GetString(body));
    }

    private static byte[] Dechunk(byte[] chunked)
    {
        using var body = new MemoryStream();
        var at = 0;
        while (at < chunked.Length)
        {
            var lineEnd = chunked.AsSpan(at).IndexOf("\r\n"u8);
            if (lineEnd < 0) break;
            var size = Convert.ToInt32(Encoding.ASCII.GetString(chunked, at, lineEnd).Split(';')[0], 16);
            if (size == 0) break;
            var start = at + lineEnd + 2;
            body.Write(chunked, start, Math.Min(size, chunked.Length - start));
            at = start + size + 2;
        }
        return body.ToArray();
    }
}
