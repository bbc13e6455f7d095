using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Switchboard.Team;

/// <summary>
/// Local account passwords, for teams without an identity provider: PBKDF2-HMAC-SHA256 from the platform's crypto
/// (OpenSSL here, CNG on Windows), 600,000 iterations as OWASP advises for it, a 16-byte salt, stored as
/// <c>pbkdf2-sha256$&lt;iterations&gt;$&lt;salt&gt;$&lt;hash&gt;</c> so the cost can rise later without breaking stored ones.
/// Unlike an API key, a password is short and chosen by a person, so it must be slow to guess from its hash.
/// </summary>
internal static class PasswordHash
{
    private const string Scheme = "pbkdf2-sha256";
    public const int Iterations = 600_000;
    private const int SaltBytes = 16;
    private const int HashBytes = 32;
    public const int MinimumLength = 10;

    // What an unknown account's password is checked against, so a wrong email costs the same time as a wrong password.
    private static readonly string Decoy = Create("decoy password nobody has");

    public static string Create(string password)
    {
        var salt = RandomNumberGenerator.GetBytes(SaltBytes);
        var hash = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, Iterations, HashAlgorithmName.SHA256, HashBytes);
        return string.Create(CultureInfo.InvariantCulture, $"{Scheme}${Iterations}${Convert.ToBase64String(salt)}${Convert.ToBase64String(hash)}");
    }

    /// <summary>Whether <paramref name="password"/> matches <paramref name="stored"/>; a null or unreadable hash never does, in the same time.</summary>
    public static bool Verify(string password, string? stored)
    {
        var parts = (stored ?? Decoy).Split('$');
        var readable = parts.Length == 4 && parts[0] == Scheme
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var iterations) && iterations is > 0 and <= 10_000_000;
        if (!readable) parts = Decoy.Split('$');
        var salt = Convert.FromBase64String(parts[2]);
        var expected = Convert.FromBase64String(parts[3]);
        var actual = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt,
            int.Parse(parts[1], CultureInfo.InvariantCulture), HashAlgorithmName.SHA256, expected.Length);
        return CryptographicOperations.FixedTimeEquals(actual, expected) && readable && stored is not null;
    }

    /// <summary>Why <paramref name="password"/> cannot be set, or null.</summary>
    public static string? Problem(string? password) =>
        string.IsNullOrEmpty(password) || password.Length < MinimumLength
            ? $"A password needs at least {MinimumLength} characters."
            : null;
}
