using System.Net.Sockets;
using System.Text;

namespace Switchboard.Tests.Reliability;

/// <summary>One HTTP/1.1 request as it arrived on a raw socket.</summary>
public sealed record RawRequest(string Method, string Target, IReadOnlyDictionary<string, string> Headers, byte[] Body)
{
    public string Path => Target.Split('?')[0];
    public string BodyText => Encoding.UTF8.GetString(Body);
}

/// <summary>
/// The server side of one raw TCP connection: reads HTTP/1.1 requests (bodies framed by Content-Length or chunked),
/// writes whatever bytes a fault script says, and ends the connection cleanly (FIN) or abortively (RST).
/// </summary>
public sealed class RawConnection(Socket socket, CancellationToken stopping)
{
    private readonly byte[] _buffer = new byte[64 * 1024];
    private int _start, _end;

    public async Task<RawRequest?> ReadRequestAsync()
    {
        var headEnd = await FillUntilAsync("\r\n\r\n"u8.ToArray());
        if (headEnd < 0) return null;
        var head = Encoding.ASCII.GetString(_buffer, _start, headEnd - _start);
        _start = headEnd + 4;
        var lines = head.Split("\r\n");
        var requestLine = lines[0].Split(' ');
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var line in lines.Skip(1))
        {
            var colon = line.IndexOf(':');
            if (colon > 0) headers[line[..colon].Trim()] = line[(colon + 1)..].Trim();
        }
        byte[]? body;
        if (headers.TryGetValue("Transfer-Encoding", out var encoding) && encoding.Contains("chunked", StringComparison.OrdinalIgnoreCase))
            body = await ReadChunkedAsync();
        else body = await ReadExactlyAsync(headers.TryGetValue("Content-Length", out var value) ? int.Parse(value) : 0);
        return body is null ? null : new RawRequest(requestLine[0], requestLine.Length > 1 ? requestLine[1] : "/", headers, body);
    }

    /// <summary>A chunked body (HttpClient sends one when the length is not known up front, as for JSON content).</summary>
    private async Task<byte[]?> ReadChunkedAsync()
    {
        using var body = new MemoryStream();
        while (true)
        {
            var lineEnd = await FillUntilAsync("\r\n"u8.ToArray());
            if (lineEnd < 0) return null;
            var size = Convert.ToInt32(Encoding.ASCII.GetString(_buffer, _start, lineEnd - _start).Split(';')[0].Trim(), 16);
            _start = lineEnd + 2;
            if (await ReadExactlyAsync(size) is not { } chunk) return null;
            body.Write(chunk);
            if (await ReadExactlyAsync(2) is null) return null; // the CRLF after the chunk (or after the last, empty one)
            if (size == 0) return body.ToArray();
        }
    }

    private async Task<byte[]?> ReadExactlyAsync(int length)
    {
        var bytes = new byte[length];
        var copied = 0;
        while (copied < length)
        {
            if (_start == _end && !await ReadMoreAsync()) return null;
            var take = Math.Min(length - copied, _end - _start);
            Array.Copy(_buffer, _start, bytes, copied, take);
            _start += take;
            copied += take;
        }
        return bytes;
    }

    public async Task WriteAsync(byte[] bytes)
    {
        var sent = 0;
        while (sent < bytes.Length) sent += await socket.SendAsync(bytes.AsMemory(sent), SocketFlags.None, stopping);
    }

    /// <summary>An abortive close: the peer gets a TCP reset, as when a server or middlebox dies.</summary>
    public void Reset()
    {
        socket.LingerState = new LingerOption(true, 0);
        socket.Close();
    }

    public void Close()
    {
        socket.Shutdown(SocketShutdown.Both);
        socket.Close();
    }

    /// <summary>Sends nothing more, and returns once the peer closes its side (or the upstream is stopped).</summary>
    public async Task WaitForPeerCloseAsync()
    {
        var sink = new byte[4096];
        while (await socket.ReceiveAsync(sink, SocketFlags.None, stopping) > 0)
        {
        }
    }

    private async Task<int> FillUntilAsync(byte[] marker)
    {
        while (true)
        {
            var at = _buffer.AsSpan(_start, _end - _start).IndexOf(marker);
            if (at >= 0) return _start + at;
            if (!await ReadMoreAsync()) return -1;
        }
    }

    private async Task<bool> ReadMoreAsync()
    {
        if (_start > 0)
        {
            Array.Copy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }
        if (_end == _buffer.Length) throw new InvalidOperationException("request head larger than the test server's buffer");
        var read = await socket.ReceiveAsync(_buffer.AsMemory(_end), SocketFlags.None, stopping);
        _end += read;
        return read > 0;
    }
}
