using System.Security.Cryptography;

namespace Switchboard.Team;

/// <summary>
/// The code a person types on the verification page (RFC 8628 §6.1): eight characters from a base-20 set of
/// consonants, shown as <c>WDJB-MJHT</c>. No vowels means no words; no digits means no 0/O or 1/I to confuse. Eight
/// of twenty gives 2^34.6 codes, against which the page's per-IP rate limit and the ten-minute lifetime are the guard.
/// </summary>
internal static class UserCode
{
    public const string Alphabet = "BCDFGHJKLMNPQRSTVWXZ";
    private const int Length = 8;

    /// <summary>A new code as stored (no dash).</summary>
    public static string Generate() => RandomNumberGenerator.GetString(Alphabet, Length);

    /// <summary>As shown: <c>WDJB-MJHT</c>.</summary>
    public static string Display(string code) => $"{code[..4]}-{code[4..]}";

    /// <summary>What a person typed, as stored: upper case, without dashes and spaces; null when it cannot be a code.</summary>
    public static string? Normalize(string? typed)
    {
        if (typed is null) return null;
        Span<char> code = stackalloc char[Length];
        var count = 0;
        foreach (var c in typed)
        {
            if (c is '-' or ' ') continue;
            var upper = char.ToUpperInvariant(c);
            if (count == Length || !Alphabet.Contains(upper)) return null;
            code[count++] = upper;
        }
        return count == Length ? new string(code) : null;
    }
}
