using System.Security.Cryptography;
using System.Text;

namespace Switchboard.Team;

/// <summary>
/// A Switchboard API key: <c>sb-&lt;prefix&gt;-&lt;secret&gt;</c>. The prefix (8 characters of its own randomness) is stored in
/// clear, shown in listings and used to find the key's row; the secret is 32 random bytes, base64url. Only the
/// SHA-256 of the whole key is stored. A fast hash is the standard choice for API keys: unlike a password, the key
/// carries 256 bits of randomness, so nobody can guess it from its hash however fast they hash, and a slow
/// password hash (Argon2, bcrypt) would only add milliseconds to every request.
/// </summary>
internal static class ApiKeySecret
{
    public const string Scheme = "sb-";
    public const int PrefixLength = 8;
    private const int SecretBytes = 32;

    // Lower-case letters and digits without the look-alikes (0/o, 1/l/i), so a prefix read aloud is unambiguous.
    private const string PrefixAlphabet = "abcdefghjkmnpqrstuvwxyz23456789";

    /// <summary>A new key: the value to show once, its prefix and the hash to store.</summary>
    public static (string Key, string Prefix, byte[] Hash) Generate()
    {
        var prefix = RandomNumberGenerator.GetString(PrefixAlphabet, PrefixLength);
        var secret = Convert.ToBase64String(RandomNumberGenerator.GetBytes(SecretBytes)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var key = $"{Scheme}{prefix}-{secret}";
        return (key, prefix, Hash(key));
    }

    /// <summary>The prefix of <paramref name="presented"/>, or null when it is not shaped like a Switchboard key.</summary>
    public static string? PrefixOf(string presented) =>
        presented.Length > Scheme.Length + PrefixLength + 1
        && presented.StartsWith(Scheme, StringComparison.Ordinal)
        && presented[Scheme.Length + PrefixLength] == '-'
            ? presented.Substring(Scheme.Length, PrefixLength)
            : null;

    public static byte[] Hash(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));

    /// <summary>
    /// Whether <paramref name="presented"/> hashes to <paramref name="stored"/>, in constant time: how long the
    /// comparison takes says nothing about how many leading bytes matched.
    /// </summary>
    public static bool Matches(string presented, byte[] stored) => CryptographicOperations.FixedTimeEquals(Hash(presented), stored);
}
