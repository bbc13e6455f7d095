using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Switchboard.Team;

/// <summary>
/// A certificate's SHA-256 fingerprint as people compare it (<c>AB:CD:…</c>, what <c>openssl x509 -fingerprint
/// -sha256</c> prints) and as the gateway's log and <c>switchboard login</c> show it; <see cref="Normalize"/> accepts
/// it typed any way (with or without colons or a <c>sha256:</c> prefix, any case).
/// </summary>
public static class CertificateFingerprint
{
    public static string Of(X509Certificate certificate) =>
        string.Join(':', SHA256.HashData(certificate.GetRawCertData()).Select(part => part.ToString("X2", System.Globalization.CultureInfo.InvariantCulture)));

    /// <summary>The fingerprint in the form <see cref="Of"/> writes, or null when it is not 32 bytes of hex.</summary>
    public static string? Normalize(string typed)
    {
        var text = typed.Trim();
        if (text.StartsWith("sha256:", StringComparison.OrdinalIgnoreCase)) text = text[7..];
        var hex = text.Replace(":", "", StringComparison.Ordinal).Replace(" ", "", StringComparison.Ordinal);
        if (hex.Length != 64 || !hex.All(Uri.IsHexDigit)) return null;
        return string.Join(':', hex.ToUpperInvariant().Chunk(2).Select(pair => new string(pair)));
    }
}
