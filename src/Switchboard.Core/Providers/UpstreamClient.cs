using System.Net;
using System.Net.Sockets;
using Switchboard.Anthropic;

namespace Switchboard.Providers;

/// <summary>
/// The one HTTP client every provider sends through: pooled connections, no redirects, no decompression (bytes are
/// relayed as they come), headers returned as soon as they arrive. Failures to get an answer become Anthropic errors
/// that say which provider failed and what to check. Its <see cref="TimeProvider"/> times the wait for headers and,
/// through <see cref="UpstreamBody"/>, every read of the bodies it receives, so tests can drive both.
/// </summary>
public sealed class UpstreamClient : IDisposable
{
    private readonly HttpMessageInvoker _invoker;
    private readonly IWebProxy? _proxy;
    private readonly TimeProvider _time;

    /// <summary>
    /// Where a request sent here carries this client's clock to the body of its response (<see cref="UpstreamBody.ClockOf"/>):
    /// bodies are opened from responses in many places (each provider, each error mapper), and the request is what they
    /// all have, so none of them needs a clock of its own passed in.
    /// </summary>
    internal static readonly HttpRequestOptionsKey<TimeProvider> Clock = new("Switchboard.UpstreamClock");

    public UpstreamClient(HttpMessageHandler? handler = null, IWebProxy? proxy = null, TimeProvider? time = null)
    {
        _proxy = handler is null ? proxy : null;
        _time = time ?? TimeProvider.System;
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
        request.Options.Set(Clock, _time);
        using var deadline = new CancellationTokenSource(timeout, _time);
        using var either = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        try
        {
            return await _invoker.SendAsync(request, either.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new AnthropicErrorException(AnthropicError.Api(
                $"Provider '{provider}' did not answer within {timeout.TotalSeconds:0} s " +
                "(raise timeoutSeconds for it if the model is just slow).", 504), ex);
        }
        catch (HttpRequestException ex) when (ProxyFor(request.RequestUri) is { } proxy && ex.HttpRequestError is
                                                  HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError or HttpRequestError.ProxyTunnelError)
        {
            // Through a proxy the only connection Switchboard makes is to the proxy: when that fails, the proxy is what
            // to fix, not the provider's baseUrl.
            var what = ex.HttpRequestError == HttpRequestError.ProxyTunnelError
                ? $"the proxy would not open a tunnel to {Authority(request.RequestUri)} ({FirstLine(ex.Message)})"
                : $"the proxy could not be reached ({Describe(ex)})";
            throw new AnthropicErrorException(AnthropicError.Api(
                $"Could not reach provider '{provider}' through the proxy {Config.Secrets.MaskUrl(proxy.GetLeftPart(UriPartial.Authority))}: " +
                $"{what}. Is the proxy running, and is proxyUrl (or HTTPS_PROXY) right?", 502) with { ShouldRetry = false }, ex);
        }
        catch (HttpRequestException ex)
        {
            // Refused or unresolvable: nothing listens there, and Claude Code retrying for minutes will not start it.
            // A connection that broke mid-way may work next time, so it stays retryable.
            throw new AnthropicErrorException(AnthropicError.Api(
                $"Could not reach provider '{provider}' at {Authority(request.RequestUri)}: " +
                $"{Describe(ex)}. Is it running, and is its baseUrl right?", 502) with
            {
                ShouldRetry = ex.HttpRequestError is HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError ? false : null,
            }, ex);
        }
    }

    /// <summary>The proxy a request to <paramref name="destination"/> goes through, or null when it goes direct.</summary>
    private Uri? ProxyFor(Uri? destination) =>
        _proxy is not null && destination is not null && !_proxy.IsBypassed(destination) ? _proxy.GetProxy(destination) : null;

    private static string Authority(Uri? uri) => Config.Secrets.MaskUrl(uri?.GetLeftPart(UriPartial.Authority)) ?? "(no address)";

    private static string FirstLine(string message) => message.Split('\n', 2)[0].TrimEnd('.', ' ', '\r');

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
