using System.Text;
using Microsoft.AspNetCore.Http;
using static System.Net.WebUtility;

namespace Switchboard.Hosting.Team.SignIn;

/// <summary>
/// The sign-in pages' HTML: one small self-contained page, no script at all (nothing to auto-submit a code, RFC 8628
/// §5.4), every value HTML-encoded, and headers that keep it out of frames and caches.
/// </summary>
internal static class SignInHtml
{
    public static async Task WriteAsync(HttpContext context, int status, string title, string body)
    {
        var response = context.Response;
        response.StatusCode = status;
        response.ContentType = "text/html; charset=utf-8";
        response.Headers.CacheControl = "no-store";
        response.Headers.XFrameOptions = "DENY";
        response.Headers.ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
        response.Headers["Referrer-Policy"] = "no-referrer";
        var page = new StringBuilder(2048)
            .Append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width\">")
            .Append("<title>").Append(HtmlEncode(title)).Append(" · Switchboard</title><style>")
            .Append("body{font:16px system-ui,sans-serif;max-width:26rem;margin:3rem auto;padding:0 1rem;color:#222}")
            .Append("label{display:block;margin:.8rem 0 .2rem}input{width:100%;padding:.5rem;font:inherit;box-sizing:border-box}")
            .Append("button{margin:1rem .5rem 0 0;padding:.5rem 1rem;font:inherit}.error{color:#a00}.note{color:#555;font-size:.9rem}")
            .Append("</style></head><body><h1>").Append(HtmlEncode(title)).Append("</h1>")
            .Append(body)
            .Append("</body></html>");
        await response.WriteAsync(page.ToString(), context.RequestAborted);
    }

    public static string Paragraph(string text, string? cssClass = null) =>
        cssClass is null ? $"<p>{HtmlEncode(text)}</p>" : $"<p class=\"{cssClass}\" role=\"alert\">{HtmlEncode(text)}</p>";

    public static string Field(string label, string name, string type, string? value = null, string? autocomplete = null) =>
        $"<label for=\"{name}\">{HtmlEncode(label)}</label><input id=\"{name}\" name=\"{name}\" type=\"{type}\" required" +
        (value is null ? "" : $" value=\"{HtmlEncode(value)}\"") + (autocomplete is null ? "" : $" autocomplete=\"{autocomplete}\"") + ">";
}
