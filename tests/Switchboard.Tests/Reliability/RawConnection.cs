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
/// The server side of one raw TCP connection: reads HTTP/1.1 requests (bodies framed by Content-Length, as the router
/// sends them), writes whatever bytes a fault script says, and ends the connection cleanly (FIN) or abortively (RST).
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
        var length = headers.TryGetValue("Content-Length", out var value) ? int.Parse(value) : 0;
        var body = new byte[length];
        var copied = 0;
        while (copied < length)
        {
            if (_start == _end && !await ReadMoreAsync()) return null;
            var take = Math.Min(length - copied, _end - _start);
            Array.Copy(_buffer, _start, body, copied, take);
            _start += take;
            copied += take;
        }
        return new RawRequest(requestLine[0], requestLine.Length > 1 ? requestLine[1] : "/", headers, body);
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
