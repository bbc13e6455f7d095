using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;

namespace Switchboard.Tests.Reliability;

/// <summary>
/// An upstream that fails the way networks and servers do, on a raw loopback socket so that every failure is real:
/// refused, reset (RST) before or after the headers, silence, a stream held mid-way until released, bytes that are not HTTP, a body cut short, a line with
/// no end, error statuses with JSON or HTML, a stream whose connection is never closed. Each request names its fault
/// in its model (<c>fault-NAME--CASE</c>, in the body or the URL); what a good reply looks like comes from the
/// <see cref="FaultWire"/> of the provider it plays.
/// </summary>
public sealed partial class FaultyUpstream : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _gates = new();
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _released = new();
    private readonly FaultWire _wire;
    private readonly Task _accepting;

    private FaultyUpstream(FaultWire wire)
    {
        _wire = wire;
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public static FaultyUpstream Start(FaultWire wire) => new(wire);

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;
    public string BaseUrl => $"http://127.0.0.1:{Port}";

    /// <summary>Faults seen, by case, in the order their requests arrived.</summary>
    public ConcurrentQueue<(string Case, string Fault)> Seen { get; } = new();

    /// <summary>Lets a mid-body fault of <paramref name="caseId"/> go ahead (the client has what came before it).</summary>
    public void Release(string caseId) => Gate(caseId).TrySetResult();

    /// <summary>Completes when the router closed the connection a held-open reply of <paramref name="caseId"/> stood on.</summary>
    public Task ClosedByRouter(string caseId) => Closed(caseId).Task;

    private TaskCompletionSource Gate(string caseId) => _gates.GetOrAdd(caseId, _ => new(TaskCreationOptions.RunContinuationsAsynchronously));
    private TaskCompletionSource Closed(string caseId) => _released.GetOrAdd(caseId, _ => new(TaskCreationOptions.RunContinuationsAsynchronously));

    private async Task AcceptAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptSocketAsync(_stopping.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }
            _ = Task.Run(() => ServeAsync(socket));
        }
    }

    private async Task ServeAsync(Socket socket)
    {
        using var _ = socket;
        var connection = new RawConnection(socket, _stopping.Token);
        try
        {
            while (await connection.ReadRequestAsync() is { } request)
            {
                if (_wire.Helper(request) is { } helper)
                {
                    await connection.WriteAsync(Response(helper.Status, "application/json", helper.Body));
                    continue;
                }
                var match = FaultName().Match(request.Target + " " + request.BodyText);
                var (fault, caseId) = match.Success ? (match.Groups[1].Value, match.Groups[2].Value) : ("none", "none");
                Seen.Enqueue((caseId, fault));
                if (!await PlayAsync(connection, request, fault, caseId)) return;
            }
        }
        catch (Exception ex) when (ex is SocketException or IOException or OperationCanceledException or ObjectDisposedException)
        {
            // The router went away mid-script: that is its right.
        }
    }

    /// <summary>Plays one fault; returns whether the connection may carry another request.</summary>
    private async Task<bool> PlayAsync(RawConnection connection, RawRequest request, string fault, string caseId)
    {
        var streaming = _wire.IsStream(request);
        var pieces = streaming ? _wire.Stream() : [_wire.Whole()];
        var head = streaming ? StreamHead(_wire.StreamContentType) : JsonHead(pieces[0].Length);
        switch (fault)
        {
            case "reset-before-headers":
                connection.Reset();
                return false;
            case "stall-before-headers":
                await connection.WaitForPeerCloseAsync();
                return false;
            case "garbage":
                await connection.WriteAsync(Encoding.ASCII.GetBytes("\u0016\u0003\u0001 THIS IS NOT HTTP \u00ff\u00fe\r\n\r\n"));
                connection.Close();
                return false;
            case "reset-mid-body" or "stall-mid-body" or "truncated":
                await connection.WriteAsync(head);
                if (streaming)
                {
                    foreach (var piece in pieces.Take(_wire.PrefixLength)) await connection.WriteAsync(Chunk(piece));
                    if (fault == "truncated")
                    {
                        await connection.WriteAsync("0\r\n\r\n"u8.ToArray());
                        return true;
                    }
                }
                else
                {
                    var whole = pieces[0];
                    if (fault == "truncated")
                    {
                        // Framed by the close alone, then closed cleanly halfway: a JSON reply that just stops.
                        await connection.WriteAsync(Response(200, "application/json", whole[..(whole.Length / 2)], lengthKnown: false));
                        connection.Close();
                        return false;
                    }
                    await connection.WriteAsync(whole[..(whole.Length / 2)]);
                }
                if (fault == "stall-mid-body")
                {
                    await connection.WaitForPeerCloseAsync();
                    return false;
                }
                // The client has what came before the fault (a streaming test says so), so the reset cannot overtake it.
                if (streaming) await Gate(caseId).Task.WaitAsync(TimeSpan.FromSeconds(30));
                connection.Reset();
                return false;
            case "malformed":
                await connection.WriteAsync(streaming ? head : JsonHead(_wire.MalformedWhole.Length));
                if (!streaming)
                {
                    await connection.WriteAsync(_wire.MalformedWhole);
                    return true;
                }
                foreach (var piece in pieces.Take(_wire.PrefixLength)) await connection.WriteAsync(Chunk(piece));
                await connection.WriteAsync(Chunk(_wire.MalformedPiece));
                foreach (var piece in pieces.Skip(_wire.PrefixLength)) await connection.WriteAsync(Chunk(piece));
                await connection.WriteAsync("0\r\n\r\n"u8.ToArray());
                return true;
            case "huge-line":
                await connection.WriteAsync(streaming ? head : Response(200, "application/json", [], lengthKnown: false));
                if (streaming) foreach (var piece in pieces.Take(_wire.PrefixLength)) await connection.WriteAsync(Chunk(piece));
                var huge = _wire.HugePiece(streaming);
                for (var at = 0; at < huge.Length; at += 1 << 20)
                {
                    var part = huge.AsMemory(at, Math.Min(1 << 20, huge.Length - at)).ToArray();
                    await connection.WriteAsync(streaming ? Chunk(part) : part);
                }
                await connection.WaitForPeerCloseAsync();
                return false;
            case "never-closing":
                await connection.WriteAsync(head);
                if (!streaming)
                {
                    // A whole reply framed by its length is complete when read; keeping the connection is keep-alive.
                    await connection.WriteAsync(pieces[0]);
                    Closed(caseId).TrySetResult();
                    return true;
                }
                foreach (var piece in pieces) await connection.WriteAsync(Chunk(piece));
                // Everything is sent, but the chunked body is never terminated and the connection never closed.
                await connection.WaitForPeerCloseAsync();
                Closed(caseId).TrySetResult();
                return false;
            case "held":
                // A slow stream: its first events, then nothing until the test releases the case, then the rest.
                await connection.WriteAsync(head);
                foreach (var piece in pieces.Take(_wire.PrefixLength)) await connection.WriteAsync(Chunk(piece));
                await Gate(caseId).Task.WaitAsync(_stopping.Token);
                foreach (var piece in pieces.Skip(_wire.PrefixLength)) await connection.WriteAsync(Chunk(piece));
                await connection.WriteAsync("0\r\n\r\n"u8.ToArray());
                return true;
            case "json-for-stream":
                var message = _wire.Whole();
                await connection.WriteAsync(JsonHead(message.Length));
                await connection.WriteAsync(message);
                return true;
            case var status when StatusFault().Match(status) is { Success: true } statusMatch:
                var code = int.Parse(statusMatch.Groups[1].Value);
                var html = statusMatch.Groups[2].Value == "html";
                var body = html
                    ? Encoding.UTF8.GetBytes($"<html>\r\n<head><title>{code} Service Temporarily Unavailable</title></head>\r\n<body>\r\n<center><h1>{code} Service Temporarily Unavailable</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n")
                    : _wire.ErrorJson(code);
                var headers = html ? "" : _wire.ErrorHeaders(code);
                if (code == 429) headers += "retry-after: 7\r\n";
                await connection.WriteAsync(Response(code, html ? "text/html" : "application/json", body, extraHeaders: headers));
                return true;
            default:
                await connection.WriteAsync(head);
                if (streaming)
                {
                    foreach (var piece in pieces) await connection.WriteAsync(Chunk(piece));
                    await connection.WriteAsync("0\r\n\r\n"u8.ToArray());
                }
                else await connection.WriteAsync(pieces[0]);
                return true;
        }
    }

    private static byte[] StreamHead(string contentType) =>
        Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nContent-Type: {contentType}\r\nTransfer-Encoding: chunked\r\n\r\n");

    private static byte[] JsonHead(int length) =>
        Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {length}\r\n\r\n");

    private static byte[] Response(int status, string contentType, byte[] body, bool lengthKnown = true, string extraHeaders = "")
    {
        var head = $"HTTP/1.1 {status} {ReasonPhrase(status)}\r\nContent-Type: {contentType}\r\n{extraHeaders}" +
                   (lengthKnown ? $"Content-Length: {body.Length}\r\n" : "Connection: close\r\n") + "\r\n";
        return [.. Encoding.ASCII.GetBytes(head), .. body];
    }

    private static string ReasonPhrase(int status) => status switch
    {
        200 => "OK", 404 => "Not Found", 429 => "Too Many Requests", 500 => "Internal Server Error",
        503 => "Service Unavailable", 529 => "Site Overloaded", _ => "Status",
    };

    private static byte[] Chunk(byte[] piece) => [.. Encoding.ASCII.GetBytes($"{piece.Length:x}\r\n"), .. piece, .. "\r\n"u8];

    [GeneratedRegex(@"fault-([a-z0-9-]+?)--([a-z0-9]+)")]
    private static partial Regex FaultName();

    [GeneratedRegex(@"^status-(\d{3})-(json|html)$")]
    private static partial Regex StatusFault();

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        _listener.Stop();
        await _accepting;
        _stopping.Dispose();
    }
}
