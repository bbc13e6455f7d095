using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Switchboard.Hosting.Team.SignIn;

/// <summary>
/// How the sign-in endpoints answer: OAuth's own JSON (RFC 6749 §5.1, §5.2), never the Anthropic envelope, with
/// <c>Cache-Control: no-store</c> since the bodies carry tokens. Written with <see cref="Utf8JsonWriter"/>: no reflection.
/// </summary>
internal static class OAuthReplies
{
    public static Task ErrorAsync(HttpContext context, string error, string description, int status = StatusCodes.Status400BadRequest) =>
        JsonAsync(context, status, json =>
        {
            json.WriteString("error", error);
            json.WriteString("error_description", description);
        });

    public static async Task JsonAsync(HttpContext context, int status, Action<Utf8JsonWriter> write)
    {
        var response = context.Response;
        response.StatusCode = status;
        response.ContentType = "application/json";
        response.Headers.CacheControl = "no-store";
        response.Headers.Pragma = "no-cache";
        await using var json = new Utf8JsonWriter(response.Body);
        json.WriteStartObject();
        write(json);
        json.WriteEndObject();
    }

    /// <summary>
    /// The form of an OAuth request (<c>application/x-www-form-urlencoded</c>); any other body reads as an empty form,
    /// which then misses whatever the endpoint needs and says so. Unknown fields are there to be ignored.
    /// </summary>
    public static async Task<IFormCollection> FormAsync(HttpContext context) =>
        context.Request.HasFormContentType ? await context.Request.ReadFormAsync(context.RequestAborted) : FormCollection.Empty;

    /// <summary>
    /// The origin the client reached this replica at (<c>scheme://host</c>), so every URL handed out is one it can
    /// reach: behind a load balancer that is the balancer's name. A TLS-terminating balancer forwards plain HTTP, so
    /// when the name is the configured public URL's, that URL's scheme is used.
    /// </summary>
    public static string OriginOf(HttpRequest request, string? publicUrl)
    {
        var scheme = request.Scheme;
        if (Uri.TryCreate(publicUrl, UriKind.Absolute, out var configured)
            && string.Equals(configured.Authority, request.Host.Value, StringComparison.OrdinalIgnoreCase))
            scheme = configured.Scheme;
        return $"{scheme}://{request.Host.Value}";
    }
}
