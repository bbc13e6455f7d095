using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Switchboard.Bench;

/// <summary>
/// The benchmark's team members, made through the admin API with the operator key as an admin would: a user and a
/// key, and for the capped one a monthly spend cap and a rate limit far above anything the run sends, so each of its
/// requests takes the limited path (the limit admission's Redis round trip, the charge after the reply) and none is
/// refused. A member with no limit costs no Redis call, which shows what the limits cost.
/// </summary>
internal static class TeamBenchUser
{
    /// <summary>Creates the user (and its limits) on the replica at <paramref name="baseUrl"/>; returns the user's key.</summary>
    public static async Task<string> CreateAsync(string baseUrl, string operatorKey, string email, bool capped)
    {
        using var http = new HttpClient { BaseAddress = new Uri(baseUrl), Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", operatorKey);
        await SendAsync(http, HttpMethod.Post, "/api/team/users", $$"""{"email":"{{email}}"}""");
        using var created = JsonDocument.Parse(await SendAsync(http, HttpMethod.Post, $"/api/team/users/{email}/keys", """{"name":"bench"}"""));
        var key = created.RootElement.GetProperty("key").GetString() ?? throw new InvalidOperationException("no key in the answer");
        if (!capped) return key;
        await SendAsync(http, HttpMethod.Put, "/api/team/limits",
            $$"""{"subject":"user","of":"{{email}}","kind":"spend_usd","period":"month","amount":1000000}""");
        await SendAsync(http, HttpMethod.Put, "/api/team/limits",
            $$"""{"subject":"user","of":"{{email}}","kind":"requests_per_minute","amount":1000000000}""");
        return key;
    }

    /// <summary>The replica's <c>switchboard_ledger_dropped_total</c> (records its full queue lost), from <c>/metrics</c>.</summary>
    public static async Task<long> LedgerDroppedAsync(string baseUrl, string operatorKey)
    {
        using var http = new HttpClient { BaseAddress = new Uri(baseUrl), Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", operatorKey);
        const string Name = "switchboard_ledger_dropped_total ";
        var line = (await http.GetStringAsync("/metrics")).Split('\n').FirstOrDefault(l => l.StartsWith(Name, StringComparison.Ordinal));
        return line is null ? -1 : long.Parse(line[Name.Length..], System.Globalization.CultureInfo.InvariantCulture);
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
