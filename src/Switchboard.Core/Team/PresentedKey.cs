namespace Switchboard.Team;

/// <summary>
/// The key a client presents. Claude Code sends <c>ANTHROPIC_API_KEY</c> as <c>x-api-key</c> and
/// <c>ANTHROPIC_AUTH_TOKEN</c> as <c>Authorization: Bearer</c>; either carries a Switchboard key, x-api-key first.
/// </summary>
internal static class PresentedKey
{
    private const string Bearer = "Bearer ";

    public static string? From(string? xApiKey, string? authorization)
    {
        if (!string.IsNullOrWhiteSpace(xApiKey)) return xApiKey.Trim();
        if (authorization is not null && authorization.StartsWith(Bearer, StringComparison.OrdinalIgnoreCase))
        {
            var token = authorization[Bearer.Length..].Trim();
            return token.Length > 0 ? token : null;
        }
        return null;
    }
}
