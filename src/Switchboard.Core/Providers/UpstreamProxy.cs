using System.Net;
using Switchboard.Config;

namespace Switchboard.Providers;

/// <summary>
/// The proxy upstream requests go through: the config's <c>proxyUrl</c> as it is now (read per request, so a config
/// edit applies without a restart), never for this machine's own servers (a local Ollama stays direct); without one,
/// the environment's <c>HTTPS_PROXY</c>/<c>HTTP_PROXY</c>/<c>NO_PROXY</c>, as .NET reads them.
/// </summary>
public sealed class UpstreamProxy(Func<string?> configuredUrl) : IWebProxy
{
    private readonly IWebProxy _environment = HttpClient.DefaultProxy;
    private volatile Parsed? _parsed;

    /// <summary>The configured text and the URL it gave, parsed once per change of the text rather than per request.</summary>
    private sealed record Parsed(string Raw, Uri? Url);

    /// <summary>An absolute http(s) URL, or null when <paramref name="url"/> is not one.</summary>
    public static Uri? Parse(string url) =>
        Uri.TryCreate(url.Trim(), UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" && uri.Host.Length > 0 ? uri : null;

    private Uri? Configured
    {
        get
        {
            if (configuredUrl() is not { Length: > 0 } raw) return null;
            var parsed = _parsed;
            if (parsed?.Raw != raw) _parsed = parsed = new Parsed(raw, Parse(EnvExpander.Expand(raw)));
            return parsed.Url;
        }
    }

    public Uri? GetProxy(Uri destination) =>
        Configured is { } proxy ? (IsThisMachine(destination) ? null : WithoutUserInfo(proxy)) : _environment.GetProxy(destination);

    public bool IsBypassed(Uri host) =>
        Configured is not null ? IsThisMachine(host) : _environment.IsBypassed(host);

    /// <summary>The proxy's own login, from <c>user:password@</c> in its URL.</summary>
    public ICredentials? Credentials
    {
        get => Configured is { UserInfo.Length: > 0 } proxy ? LoginOf(proxy) : _environment.Credentials;
        set { }
    }

    /// <summary>Loopback addresses and <c>localhost</c> (which <see cref="Uri.IsLoopback"/> counts).</summary>
    private static bool IsThisMachine(Uri destination) => destination.IsLoopback;

    private static Uri WithoutUserInfo(Uri proxy) =>
        proxy.UserInfo.Length == 0 ? proxy : new UriBuilder(proxy) { UserName = "", Password = "" }.Uri;

    private static NetworkCredential LoginOf(Uri proxy)
    {
        var parts = proxy.UserInfo.Split(':', 2);
        return new NetworkCredential(Uri.UnescapeDataString(parts[0]), parts.Length > 1 ? Uri.UnescapeDataString(parts[1]) : "");
    }
}
