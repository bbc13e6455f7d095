using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using Switchboard.Anthropic;
using Switchboard.Config;
using Switchboard.Hosting.Team;
using Switchboard.Team;

namespace Switchboard.Hosting;

/// <summary>
/// Who may call the daemon, one rule for every endpoint, checked before any of them runs. A web page the user
/// happens to visit can make the browser send requests to 127.0.0.1, so: anything a browser marks as coming from
/// another site (<c>Origin</c>, <c>Sec-Fetch-Site</c>) is a 403; without a key, only loopback host names are
/// answered (a page cannot point a name of its own at 127.0.0.1: DNS rebinding); a body that is not JSON is a 415
/// (text/plain and form posts are what a page may send without asking the browser first); and every endpoint not
/// marked <see cref="PublicEndpoint"/> needs the client key (<see cref="ClientAuth"/>). No CORS header is ever sent.
/// </summary>
internal static class RequestGuard
{
    public static void Use(WebApplication app, ConfigStore config, ILogger logger, TeamAuthenticator? team) => app.Use(async (context, next) =>
    {
        var current = config.Current.Config;
        var refused = Check(context, current, teamMode: team is not null);
        if (refused is null && team is not null && IsProtected(context))
            refused = await TeamGate.CheckAsync(context, team, ClientKey.Of(current));
        if (refused is not null)
        {
            Log.RequestFailed(logger, context.Request.Method, context.Request.Path, refused.Status, refused.Type, refused.Message);
            await ErrorReplies.WriteAsync(context, refused);
            return;
        }
        await next(context);
    });

    /// <summary>
    /// The error to answer with, or null when the request may proceed. In team mode the key is checked after this,
    /// by <see cref="TeamGate"/>: every caller needs one, so any host name may be used.
    /// </summary>
    public static AnthropicError? Check(HttpContext context, SwitchboardConfig config, bool teamMode)
    {
        var request = context.Request;
        // Only endpoints routing found; a 404 or 405 is answered as it is, and says nothing worth guarding.
        var endpoint = context.GetEndpoint() as RouteEndpoint;
        var isPublic = endpoint?.Metadata.GetMetadata<PublicEndpoint>() is not null;
        if (CrossSite(request, isPublic) is { } crossSite) return Refused(crossSite);

        var key = ClientKey.Of(config);
        var host = request.Host.Host;
        if (!key.Required && !teamMode && host.Length > 0 && !ConfigValidator.IsLoopback(host))
            return Refused($"'{host}' is not this machine's loopback address, and Switchboard has no apiKey: call it as " +
                           $"http://127.0.0.1:{request.Host.Port ?? config.Port}, or set apiKey in its config to be reached by other names.");
        if (endpoint is null) return null;

        if (HasBody(request.Method) && !request.HasJsonContentType()
            && !(request.HasFormContentType && endpoint.Metadata.GetMetadata<FormEndpoint>() is not null)
            && endpoint.Metadata.GetMetadata<AnyBodyEndpoint>() is null)
            return new AnthropicError(StatusCodes.Status415UnsupportedMediaType, ErrorTypes.InvalidRequest,
                $"{request.Method} {request.Path} takes a JSON body: send it with Content-Type: application/json" +
                (request.ContentType is { Length: > 0 } sent ? $" (not {sent})." : "."));
        return isPublic || teamMode ? null : ClientAuth.Check(request.Headers, key);
    }

    private static bool IsProtected(HttpContext context) =>
        context.GetEndpoint() is RouteEndpoint endpoint && endpoint.Metadata.GetMetadata<PublicEndpoint>() is null;

    /// <summary>
    /// Why the browser says this request comes from another site, or null. <c>same-site</c> is another site too:
    /// <c>http://localhost:3000</c> is the same site as the daemon, and any page a dev server serves could run there.
    /// A page may still be opened from a link elsewhere (a navigation), but nothing else may come from another site.
    /// </summary>
    private static string? CrossSite(HttpRequest request, bool isPublic)
    {
        var own = $"{request.Scheme}://{request.Host.Value}";
        var origin = request.Headers.Origin.ToString();
        if (origin.Length > 0 && !string.Equals(origin, own, StringComparison.OrdinalIgnoreCase))
            return $"Switchboard answers only its own pages and programs on this machine; a request from the web page at " +
                   $"{origin} was refused. If you did not expect a web page to call Switchboard, close it.";
        var site = request.Headers["Sec-Fetch-Site"].ToString();
        if (site.Length == 0 || site is "same-origin" or "none") return null;
        var navigation = isPublic && HttpMethods.IsGet(request.Method) && request.Headers["Sec-Fetch-Mode"] == "navigate";
        return navigation ? null
            : $"Switchboard answers only its own pages and programs on this machine; a {site} request from a web page was " +
              "refused. If you did not expect a web page to call Switchboard, close it.";
    }

    private static bool HasBody(string method) => HttpMethods.IsPost(method) || HttpMethods.IsPut(method) || HttpMethods.IsPatch(method);

    private static AnthropicError Refused(string message) => new(StatusCodes.Status403Forbidden, ErrorTypes.Permission, message);
}
