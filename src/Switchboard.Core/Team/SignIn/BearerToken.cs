using System.Buffers;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Switchboard.Team;

/// <summary>What a gateway bearer token says: who signed in, in which session, with which groups, until when.</summary>
internal sealed record BearerClaims(Guid UserId, Guid SessionId, string Email, IReadOnlyList<string> Groups, DateTimeOffset ExpiresAt);

/// <summary>
/// The access tokens Claude Code holds after signing in: JWTs (RFC 7519) signed ES256 (RFC 7518 §3.4: the signature
/// is r‖s, 64 bytes, which is .NET's IEEE P1363 format) with a key of <see cref="SigningKeyRing"/>. Claude Code reads
/// <c>exp</c>, <c>sub</c> and <c>email</c> without verifying; the gateway verifies the signature, the issuer, the
/// audience and <c>exp</c>, and then asks the session (<c>sid</c>) whether it still stands, so a sign-out or a
/// disabled user ends the token before its <c>exp</c>. Written with <see cref="Utf8JsonWriter"/> and read with
/// <see cref="Utf8JsonReader"/> straight from the bytes: no reflection (Native AOT), nothing parsed twice. The
/// platform's ECDSA does the cryptography; a JWT package would bring reflection-based JSON for a 100-line format.
/// </summary>
internal static class BearerToken
{
    public const string Issuer = "switchboard";
    public const string Audience = "switchboard-gateway";
    private static readonly TimeSpan ClockSkew = TimeSpan.FromSeconds(30);

    public static string Sign(SigningKeyRing keys, BearerClaims claims, DateTimeOffset now, string? billingGroupTag = null)
    {
        var (keyId, key) = keys.Signer;
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("alg", "ES256");
            json.WriteString("typ", "JWT");
            json.WriteString("kid", keyId);
            json.WriteEndObject();
        }
        var header = Base64Url.EncodeToString(buffer.WrittenSpan);
        buffer.ResetWrittenCount();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("iss", Issuer);
            json.WriteString("aud", Audience);
            json.WriteString("sub", claims.UserId.ToString());
            json.WriteString("sid", claims.SessionId.ToString());
            json.WriteString("email", claims.Email);
            json.WriteStartArray("groups");
            foreach (var group in claims.Groups) json.WriteStringValue(group);
            json.WriteEndArray();
            // Read by the client unverified: it then tags each request with the developer's billing group.
            if (billingGroupTag is not null) json.WriteString("billing_group_tag", billingGroupTag);
            json.WriteNumber("iat", now.ToUnixTimeSeconds());
            json.WriteNumber("exp", claims.ExpiresAt.ToUnixTimeSeconds());
            json.WriteString("jti", Guid.CreateVersion7().ToString("N"));
            json.WriteEndObject();
        }
        var signed = $"{header}.{Base64Url.EncodeToString(buffer.WrittenSpan)}";
        var signature = key.SignData(Encoding.ASCII.GetBytes(signed), HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        return $"{signed}.{Base64Url.EncodeToString(signature)}";
    }

    /// <summary>Whether <paramref name="presented"/> is shaped like a JWT (three base64url parts), as opposed to a Switchboard key.</summary>
    public static bool LooksLikeOne(string presented) =>
        presented.StartsWith("eyJ", StringComparison.Ordinal) && presented.AsSpan().Count('.') == 2;

    /// <summary>Whether the token's <c>exp</c> has passed, allowing for clocks a little apart.</summary>
    public static bool IsExpired(BearerClaims claims, DateTimeOffset now) => claims.ExpiresAt + ClockSkew <= now;

    /// <summary>
    /// The claims of <paramref name="token"/> when this gateway signed it (signature, <c>alg</c>, issuer and audience
    /// checked), expired or not: <see cref="IsExpired"/> says; revocation takes an expired token too. Null otherwise.
    /// </summary>
    public static async ValueTask<BearerClaims?> VerifyAsync(string token, SigningKeyRing keys, CancellationToken cancellationToken)
    {
        var firstDot = token.IndexOf('.');
        var lastDot = token.LastIndexOf('.');
        if (firstDot <= 0 || lastDot <= firstDot) return null;
        if (Decode(token.AsSpan(0, firstDot)) is not { } header
            || Decode(token.AsSpan(firstDot + 1, lastDot - firstDot - 1)) is not { } payload
            || Decode(token.AsSpan(lastDot + 1)) is not { Length: 64 } signature)
            return null;
        if (KeyIdOf(header) is not { } keyId || await keys.VerifierAsync(keyId, cancellationToken) is not { } key) return null;
        if (!key.VerifyData(Encoding.ASCII.GetBytes(token, 0, lastDot), signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation))
            return null;
        return Read(payload);
    }

    private static byte[]? Decode(ReadOnlySpan<char> text)
    {
        if (text.IsEmpty) return null;
        try { return Base64Url.DecodeFromChars(text); }
        catch (FormatException) { return null; }
    }

    private static string? KeyIdOf(byte[] header)
    {
        string? alg = null, kid = null;
        if (!ReadObject(header, (string name, ref Utf8JsonReader reader) =>
            {
                if (name == "alg") alg = reader.GetString();
                else if (name == "kid") kid = reader.GetString();
            })) return null;
        return alg == "ES256" ? kid : null;
    }

    private static BearerClaims? Read(byte[] payload)
    {
        string? iss = null, aud = null, email = null;
        Guid sub = default, sid = default;
        long? exp = null;
        var groups = new List<string>();
        var readable = ReadObject(payload, (string name, ref Utf8JsonReader reader) =>
        {
            switch (name)
            {
                case "iss": iss = reader.GetString(); break;
                case "aud": aud = reader.GetString(); break;
                case "email": email = reader.GetString(); break;
                case "sub": Guid.TryParse(reader.GetString(), out sub); break;
                case "sid": Guid.TryParse(reader.GetString(), out sid); break;
                case "exp": exp = reader.GetInt64(); break;
                case "groups":
                    while (reader.Read() && reader.TokenType == JsonTokenType.String) groups.Add(reader.GetString()!);
                    break;
            }
        });
        if (!readable || iss != Issuer || aud != Audience || sub == default || sid == default || exp is null) return null;
        return new BearerClaims(sub, sid, email ?? "", groups, DateTimeOffset.FromUnixTimeSeconds(exp.Value));
    }

    /// <summary>Calls <paramref name="property"/> with the reader on each top-level property's value; false when the bytes are not a JSON object.</summary>
    private static bool ReadObject(byte[] json, ReaderAction property)
    {
        try
        {
            var reader = new Utf8JsonReader(json);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return false;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = reader.GetString()!;
                reader.Read();
                var depth = reader.CurrentDepth;
                property(name, ref reader);
                // Whatever the action did not read of this value is skipped.
                if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray && reader.CurrentDepth == depth) reader.Skip();
            }
            return reader.TokenType == JsonTokenType.EndObject;
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException)
        {
            return false;
        }
    }

    private delegate void ReaderAction(string name, ref Utf8JsonReader reader);
}
