using System.Security.Cryptography;
using System.Text;

namespace Switchboard.Sanitizing;

/// <summary>
/// The tool-use ids a target takes: <c>^[a-zA-Z0-9_-]{1,MaxLength}$</c>. Anthropic and Bedrock allow 64 characters,
/// OpenAI 40 (and its function names follow the Anthropic rule too). Other providers emit ids with <c>.</c>,
/// <c>:</c> or <c>#</c> (Kimi's <c>functions.Read:0</c>) or longer ones; <see cref="Rewrite"/> turns any id into one
/// that fits, the same way every time.
/// </summary>
public sealed record ToolIdRule(int MaxLength)
{
    public static readonly ToolIdRule Anthropic = new(64);
    public static readonly ToolIdRule OpenAI = new(40);

    private const int HashLength = 8;

    public bool Accepts(string? id) => id is { Length: > 0 } && id.Length <= MaxLength && id.All(IsAllowed);

    /// <summary><paramref name="id"/> itself when it fits, else its <see cref="Rewrite"/>.</summary>
    public string Fit(string id) => Accepts(id) ? id : Rewrite(id);

    /// <summary>
    /// The readable part of <paramref name="id"/> with a hash of the whole id (and of <paramref name="salt"/>, which
    /// callers raise to get another candidate when one is taken): ids that differ only in characters replaced here
    /// still come out different.
    /// </summary>
    public string Rewrite(string? id, int salt = 0)
    {
        var original = id ?? "";
        var readable = new StringBuilder(original.Length);
        foreach (var c in original) readable.Append(IsAllowed(c) ? c : '_');
        if (readable.Length == 0) readable.Append("toolu");
        var keep = Math.Min(readable.Length, MaxLength - HashLength - 1);
        var hashed = salt == 0 ? original : original + "\0" + salt;
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(hashed)))[..HashLength];
        return readable.ToString(0, keep) + "_" + hash;
    }

    private static bool IsAllowed(char c) => char.IsAsciiLetterOrDigit(c) || c is '_' or '-';
}
