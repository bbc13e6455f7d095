namespace Switchboard.Routing;

/// <summary>Shell-style matching, <c>*</c> for any run of characters and <c>?</c> for one, case-insensitive.</summary>
internal static class Glob
{
    public static bool IsMatch(string pattern, string value) => Match(pattern.AsSpan(), value.AsSpan());

    private static bool Match(ReadOnlySpan<char> pattern, ReadOnlySpan<char> value)
    {
        int p = 0, v = 0, star = -1, resume = 0;
        while (v < value.Length)
        {
            if (p < pattern.Length && (pattern[p] == '?' || char.ToLowerInvariant(pattern[p]) == char.ToLowerInvariant(value[v])))
            {
                p++;
                v++;
            }
            else if (p < pattern.Length && pattern[p] == '*')
            {
                star = p++;
                resume = v;
            }
            else if (star >= 0)
            {
                p = star + 1;
                v = ++resume;
            }
            else return false;
        }
        while (p < pattern.Length && pattern[p] == '*') p++;
        return p == pattern.Length;
    }
}
