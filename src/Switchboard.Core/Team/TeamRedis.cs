using System.Globalization;
using StackExchange.Redis;

namespace Switchboard.Team;

/// <summary>
/// Team mode's Redis: one multiplexed connection per replica, from <c>team.redis</c>. The address is
/// <c>redis://[:password@]host:port[/db]</c> (<c>rediss://</c> for TLS), or StackExchange.Redis's own
/// <c>host:port,password=…</c>. Errors name the server and what to fix, never the password.
/// </summary>
internal static class TeamRedis
{
    private const int DefaultPort = 6379;

    /// <summary>Parses <paramref name="address"/> (already <c>$VAR</c>-expanded) into client options.</summary>
    public static ConfigurationOptions Parse(string address)
    {
        var options = address.Contains("://", StringComparison.Ordinal) ? FromUrl(address) : FromClientString(address);
        // Reconnect in the background rather than fail: a replica keeps serving through a Redis restart, and the
        // limits' fail-open/fail-closed rule decides what a request gets meanwhile.
        options.AbortOnConnectFail = false;
        options.ConnectTimeout = 5000;
        options.ClientName ??= "switchboard";
        return options;
    }

    /// <summary>
    /// Connects to <paramref name="address"/>. An unreachable Redis still returns a connection that keeps retrying
    /// (<see cref="IConnectionMultiplexer.IsConnected"/> says whether it answers); a wrong address throws.
    /// </summary>
    public static Task<IConnectionMultiplexer> ConnectAsync(string address) => ConnectAsync(Parse(address));

    /// <inheritdoc cref="ConnectAsync(string)"/>
    public static async Task<IConnectionMultiplexer> ConnectAsync(ConfigurationOptions options) =>
        await ConnectionMultiplexer.ConnectAsync(options);

    /// <summary>The server as the errors and <c>/health</c> name it: <c>host:port</c>, never the password.</summary>
    public static string Describe(ConfigurationOptions options) =>
        string.Join(", ", options.EndPoints.Select(Describe));

    private static string Describe(System.Net.EndPoint endPoint) => endPoint switch
    {
        System.Net.DnsEndPoint dns => $"{dns.Host}:{dns.Port}",
        System.Net.IPEndPoint ip => ip.ToString(),
        _ => endPoint.ToString() ?? "?",
    };

    private static ConfigurationOptions FromUrl(string address)
    {
        if (!Uri.TryCreate(address, UriKind.Absolute, out var url) || url.Scheme is not ("redis" or "rediss") || url.Host.Length == 0)
            throw Wrong($"team.redis is not a Redis URL (scheme '{SchemeOf(address)}'); write it as redis://[:password@]host:port[/db]");
        var options = new ConfigurationOptions { Ssl = url.Scheme == "rediss" };
        options.EndPoints.Add(url.Host, url.IsDefaultPort ? DefaultPort : url.Port);
        if (url.UserInfo.Length > 0)
        {
            // redis://:password@host (no user) or redis://user:password@host (Redis 6 ACL users).
            var colon = url.UserInfo.IndexOf(':');
            var user = Uri.UnescapeDataString(colon < 0 ? "" : url.UserInfo[..colon]);
            var password = Uri.UnescapeDataString(colon < 0 ? url.UserInfo : url.UserInfo[(colon + 1)..]);
            if (user.Length > 0) options.User = user;
            options.Password = password;
        }
        var path = url.AbsolutePath.Trim('/');
        if (path.Length > 0)
        {
            if (!int.TryParse(path, NumberStyles.None, CultureInfo.InvariantCulture, out var db))
                throw Wrong($"team.redis names database '{path}', which is not a number; write redis://host:port/0 (or leave the /db out)");
            options.DefaultDatabase = db;
        }
        return options;
    }

    private static ConfigurationOptions FromClientString(string address)
    {
        try
        {
            var options = ConfigurationOptions.Parse(address);
            if (options.EndPoints.Count == 0) throw Wrong("team.redis names no server; write it as redis://[:password@]host:port[/db]");
            return options;
        }
        catch (ArgumentException)
        {
            // The parser's message can quote the option it choked on, and that may be the password: say it our way.
            throw Wrong("team.redis is neither a redis:// URL nor a StackExchange.Redis configuration string; write it as redis://[:password@]host:port[/db]");
        }
    }

    private static string SchemeOf(string address) => address[..address.IndexOf("://", StringComparison.Ordinal)];

    private static TeamStoreException Wrong(string message) => new(message + ".");
}
