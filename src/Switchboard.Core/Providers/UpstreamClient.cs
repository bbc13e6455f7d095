using System.Net;
using System.Net.Sockets;
using Switchboard.Anthropic;

namespace Switchboard.Providers;

/// <summary>
/// The one HTTP client every provider sends through: pooled connections, no redirects, no decompression (bytes are
/// relayed as they come), headers returned as soon as they arrive. Failures to get an answer become Anthropic errors
/// that say which provider failed and what to check.
/// </summary>
public sealed class UpstreamClient : IDisposable
{
    private readonly HttpMessageInvoker _invoker;

    public UpstreamClient(HttpMessageHandler? handler = null, IWebProxy? proxy = null)
    {
        _invoker = new HttpMessageInvoker(handler ?? new SocketsHttpHandler
        {
            // Unset, SocketsHttpHandler uses the environment's proxy settings, as UpstreamProxy does without a proxyUrl.
            Proxy = proxy,
            UseProxy = true,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
            ConnectTimeout = TimeSpan.FromSeconds(10),
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            EnableMultipleHttp2Connections = true,
        });
    }

    /// <summary>Sends and returns once the response headers are in; <paramref name="timeout"/> bounds that wait.</summary>
    public async Task<HttpResponseMessage> SendAsync(
        string provider, HttpRequestMessage request, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            return await _invoker.SendAsync(request, deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new AnthropicErrorException(AnthropicError.Api(
                $"Provider '{provider}' did not answer within {timeout.TotalSeconds:0} s " +
                "(raise timeoutSeconds for it if the model is just slow).", 504), ex);
        }
        catch (HttpRequestException ex)
        {
            throw new AnthropicErrorException(AnthropicError.Api(
                $"Could not reach provider '{provider}' at {Config.Secrets.MaskUrl(request.RequestUri?.GetLeftPart(UriPartial.Authority))}: " +
                $"{Describe(ex)}. Is it running, and is its baseUrl right?", 502), ex);
        }
    }

    private static string Describe(HttpRequestException ex) => ex.InnerException switch
    {
        SocketException socket => socket.SocketErrorCode switch
        {
            SocketError.ConnectionRefused => "connection refused",
            SocketError.HostNotFound or SocketError.NoData => "host not found",
            SocketError.TimedOut => "connection timed out",
            _ => socket.Message,
        },
        { } inner => inner.Message,
        null => ex.Message,
    };

    public void Dispose() => _invoker.Dispose();
}
