using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Switchboard.Bench;

/// <summary>
/// The benchmark's team member, made through the admin API with the operator key as an admin would: a user, a key,
/// a monthly spend cap and a rate limit far above anything the run sends, so every request takes the limited path
/// (the limit admission's Redis round trip, the charge after the reply) and none is refused.
/// </summary>
internal static class TeamBenchUser
{
    public const string Email = "bench@example.com";

    /// <summary>Creates the user and its limits on the replica at <paramref name="baseUrl"/>; returns the user's key.</summary>
    public static async Task<string> CreateAsync(string baseUrl, string operatorKey)
    {
        using var http = new HttpClient { BaseAddress = new Uri(baseUrl), Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", operatorKey);
        await SendAsync(http, HttpMethod.Post, "/api/team/users", $$"""{"email":"{{Email}}"}""");
        using var created = JsonDocument.Parse(await SendAsync(http, HttpMethod.Post, $"/api/team/users/{Email}/keys", """{"name":"bench"}"""));
        var key = created.RootElement.GetProperty("key").GetString() ?? throw new InvalidOperationException("no key in the answer");
        await SendAsync(http, HttpMethod.Put, "/api/team/limits",
            $$"""{"subject":"user","of":"{{Email}}","kind":"spend_usd","period":"month","amount":1000000}""");
        await SendAsync(http, HttpMethod.Put, "/api/team/limits",
            $$"""{"subject":"user","of":"{{Email}}","kind":"requests_per_minute","amount":1000000000}""");
        return key;
    }

    private static async Task<string> SendAsync(HttpClient http, HttpMethod method, string path, string body)
    {
        using var request = new HttpRequestMessage(method, path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"{method} {path}: {(int)response.StatusCode} {text}");
        return text;
    }
}
