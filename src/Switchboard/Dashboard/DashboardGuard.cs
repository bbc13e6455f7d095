using System.Net;
using Microsoft.AspNetCore.Http;
using Switchboard.Anthropic;
using Switchboard.Config;
using Switchboard.Hosting;

namespace Switchboard.Dashboard;

/// <summary>
/// Who may use the dashboard's API and <c>/metrics</c>: a same-origin caller that presents <c>apiKey</c> when one is
/// set. Cross-origin browser requests are refused (no CORS headers are ever sent, and an <c>Origin</c> or
/// <c>Sec-Fetch-Site</c> naming another site is a 403). Without a key, only loopback host names are answered, so a
/// web page cannot reach the API by pointing a name of its own at 127.0.0.1 (DNS rebinding).
/// </summary>
internal static class DashboardGuard
{
    /// <summary>The error to answer with, or null when the request may proceed.</summary>
    public static AnthropicError? Check(HttpContext context, SwitchboardConfig config)
    {
        var request = context.Request;
        var key = EnvExpander.ExpandOrNull(config.ApiKey);
        if (string.IsNullOrEmpty(key) && !IsLoopbackName(request.Host.Host))
            return Refused($"'{request.Host.Host}' is not this machine's loopback address; open the dashboard at http://127.0.0.1:{config.Port}/ui.");

        var site = request.Headers["Sec-Fetch-Site"].ToString();
        if (site.Length > 0 && site is not ("same-origin" or "none"))
            return Refused("The dashboard API answers only its own pages (cross-origin request refused).");
        var origin = request.Headers.Origin.ToString();
        if (origin.Length > 0 && !string.Equals(origin, $"{request.Scheme}://{request.Host.Value}", StringComparison.OrdinalIgnoreCase))
            return Refused($"The dashboard API answers only its own pages; origin {origin} refused.");

        if (!ClientAuth.IsAuthorized(request.Headers, key))
            return AnthropicError.Authentication("The dashboard needs Switchboard's apiKey (from its config): send it as x-switchboard-key.");
        return null;
    }

    private static AnthropicError Refused(string message) => new(403, ErrorTypes.Permission, message);

    private static bool IsLoopbackName(string host) =>
        host.Equals("localhost", StringComparison.OrdinalIgnoreCase) ||
        (IPAddress.TryParse(host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));

    /// <summary>Runs <paramref name="endpoint"/> only for a request the guard lets through.</summary>
    public static RequestDelegate Guarded(ConfigStore config, RequestDelegate endpoint) => async context =>
    {
        if (Check(context, config.Current.Config) is { } refused)
        {
            await ErrorReplies.WriteAsync(context, refused);
            return;
        }
        await endpoint(context);
    };
}
