using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace Switchboard.Team;

/// <summary>
/// The random secrets of sign-in (device codes, refresh tokens, invite links): 32 random bytes, base64url, behind a
/// short scheme that says what the token is. Only their SHA-256 is stored: 256 bits of randomness cannot be found from it.
/// </summary>
internal static class OpaqueToken
{
    public const string DeviceCode = "sbd-";
    public const string RefreshToken = "sbr-";
    public const string Invite = "sbi-";

    public static string Generate(string scheme) => scheme + Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));

    public static byte[] Hash(string token) => SHA256.HashData(Encoding.UTF8.GetBytes(token));
}
