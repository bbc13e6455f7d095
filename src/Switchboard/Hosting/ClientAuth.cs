using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Switchboard.Config;

namespace Switchboard.Hosting;

/// <summary>
/// The client key (<c>apiKey</c> in config). Accepted as <c>x-switchboard-key</c>, <c>x-api-key</c> or a Bearer
/// token; whichever header carried it is never forwarded upstream, so Switchboard's key cannot leak to a provider.
/// <see cref="RequestGuard"/> demands it on every endpoint that is not public.
/// </summary>
internal static class ClientAuth
{
    public const string KeyHeader = "x-switchboard-key";

    /// <summary>The 401 to answer when the key is missing or wrong, or null when the request carries it.</summary>
    public static Anthropic.AnthropicError? Check(IHeaderDictionary headers, ClientKey key)
    {
        if (key.IsEmpty) return Anthropic.AnthropicError.Authentication(key.EmptyProblem);
        if (IsAuthorized(headers, key.Value)) return null;
        return Anthropic.AnthropicError.Authentication(
            "Switchboard requires its API key (apiKey in config): send it as x-switchboard-key, x-api-key " +
            "or Authorization: Bearer.");
    }

    private static bool IsAuthorized(IHeaderDictionary headers, string? key)
    {
        if (string.IsNullOrEmpty(key)) return true;
        return Matches(headers[KeyHeader], key) || Matches(headers["x-api-key"], key) || Matches(BearerOf(headers), key);
    }

    /// <summary>
    /// The client's headers as a flat list, minus whatever carried the Switchboard key. In team mode (the request
    /// passed <see cref="Team.TeamGate"/>) no client credential goes anywhere: each carried the caller's team key, and
    /// every provider uses the gateway's own credentials.
    /// </summary>
    public static List<KeyValuePair<string, string>> ForwardableHeaders(HttpContext context, string? key)
    {
        var headers = context.Request.Headers;
        var teamMode = Team.TeamCaller.IsSet(context);
        var list = new List<KeyValuePair<string, string>>(headers.Count + 2);
        foreach (var (name, values) in headers)
        {
            if (name.Equals(KeyHeader, StringComparison.OrdinalIgnoreCase)) continue;
            if (teamMode && IsCredential(name)) continue;
            foreach (var value in values)
            {
                if (value is null) continue;
                if (!string.IsNullOrEmpty(key) && CarriesKey(name, value, key)) continue;
                list.Add(new(name, value));
            }
        }
        return list;
    }

    private static bool IsCredential(string name) =>
        name.Equals("x-api-key", StringComparison.OrdinalIgnoreCase) || name.Equals("authorization", StringComparison.OrdinalIgnoreCase);

    private static bool CarriesKey(string name, string value, string key) =>
        (name.Equals("x-api-key", StringComparison.OrdinalIgnoreCase) && Equal(value, key)) ||
        (name.Equals("authorization", StringComparison.OrdinalIgnoreCase) && Equal(StripBearer(value), key));

    private static string? BearerOf(IHeaderDictionary headers) =>
        headers.Authorization.ToString() is { Length: > 0 } value ? StripBearer(value) : null;

    private static string StripBearer(string value) =>
        value.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? value[7..].Trim() : value;

    private static bool Matches(string? presented, string key) => presented is not null && Equal(presented, key);

    private static bool Equal(string presented, string key) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(presented), Encoding.UTF8.GetBytes(key));
}
