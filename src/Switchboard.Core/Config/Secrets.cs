using System.Text.RegularExpressions;

namespace Switchboard.Config;

/// <summary>
/// The one rule for what in a config is a secret, used by the dashboard's mask, <c>preset export</c>, <c>/health</c>,
/// the CLI and the log. A string is a secret when its key names one (<c>apiKey</c>, <c>token</c>, <c>password</c>,
/// <c>credential</c>, <c>cookie</c>, <c>authorization</c>, team mode's <c>postgres</c> and <c>redis</c>, …), when it is any value in a <c>headers</c> object, or when
/// it is a URL carrying a login (<c>http://user:pass@host</c>): then only the login is secret. A <c>$VAR</c>
/// reference (<c>"$KEY"</c>, <c>"${KEY}"</c>, <c>"Bearer $TOKEN"</c>) is never a secret: it names where the secret is.
/// </summary>
public static partial class Secrets
{
    /// <summary>What stands where a secret was.</summary>
    public const string Marker = "********";

    /// <summary>Whether the string <paramref name="value"/> under <paramref name="key"/>, in an object that is itself
    /// under <paramref name="parentKey"/>, is a secret.</summary>
    public static bool IsSecret(string? key, string? parentKey, string value)
    {
        if (LoginSecretOf(value) is { } login) return login.End > login.Start && !IsReference(value[login.Start..login.End]);
        return (IsSecretName(key) || parentKey == "headers") && value.Length > 0 && !IsReference(value);
    }

    public static bool IsSecretName(string? key) => key is not null && SecretName().IsMatch(key);

    /// <summary>True when the value is made of <c>$VAR</c> references and at most a short fixed part ("Bearer ").</summary>
    public static bool IsReference(string value)
    {
        var rest = Reference().Replace(value, "");
        return rest.Length < value.Length && rest.Trim().Length <= 8;
    }

    /// <summary>
    /// The secret as it may be shown: a URL keeps all but its password (or its user, when that is the whole login), so
    /// it can still be recognised; anything else becomes the marker, with the last four characters of a long secret.
    /// </summary>
    public static string Mask(string secret)
    {
        if (LoginSecretOf(secret) is not null) return Replace(secret, Marker);
        // The last four characters tell two API keys apart; in a connection string they may end its password.
        return secret.Length >= 16 && !secret.Contains('=') ? Marker + secret[^4..] : Marker;
    }

    /// <summary>
    /// The secret with its secret part replaced by <paramref name="reference"/>: a URL's password (or user), the token
    /// after <c>Bearer </c>, or else the whole value.
    /// </summary>
    public static string Replace(string secret, string reference)
    {
        if (LoginSecretOf(secret) is { } login)
            return string.Concat(secret.AsSpan(0, login.Start), reference, secret.AsSpan(login.End));
        return secret.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? secret[..7] + reference : reference;
    }

    /// <summary>A URL with its login masked, for anywhere one is shown or logged; null and plain URLs are unchanged.</summary>
    public static string? MaskUrl(string? url) =>
        url is not null && LoginSecretOf(url) is not null && IsSecret(null, null, url) ? Mask(url) : url;

    /// <summary>
    /// Where the secret part of the login in <c>scheme://user:password@host…</c> stands: the password, or the user
    /// when there is no password (a token as user name). Null when the value is no URL or has no login.
    /// </summary>
    private static (int Start, int End)? LoginSecretOf(string value)
    {
        var scheme = SchemePrefix().Match(value);
        if (!scheme.Success) return null;
        var start = scheme.Length;
        var authorityEnd = value.IndexOfAny(['/', '?', '#'], start);
        if (authorityEnd < 0) authorityEnd = value.Length;
        var at = value.LastIndexOf('@', authorityEnd - 1, authorityEnd - start);
        if (at <= start) return null;
        var colon = value.IndexOf(':', start, at - start);
        return colon >= 0 ? (colon + 1, at) : (start, at);
    }

    [GeneratedRegex(@"\$(\{[A-Za-z_][A-Za-z0-9_]*\}|[A-Za-z_][A-Za-z0-9_]*)")]
    private static partial Regex Reference();

    // postgres and redis: team mode's connection strings, which carry their server's password.
    [GeneratedRegex("key|token|secret|password|authorization|credential|cookie|postgres|redis", RegexOptions.IgnoreCase)]
    private static partial Regex SecretName();

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9+.-]*://")]
    private static partial Regex SchemePrefix();
}
