using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace Switchboard.Tests.Infrastructure;

/// <summary>
/// Checks an AWS Signature Version 4 the way AWS does, written from the specification and independent of the SDK
/// that signs: rebuilds the canonical request from what arrived, derives the signing key from the secret, and
/// compares. For services other than S3 each path segment is URI-encoded once more in the canonical request.
/// </summary>
public static partial class SigV4Verifier
{
    [GeneratedRegex(@"^AWS4-HMAC-SHA256 Credential=(?<key>[^/]+)/(?<date>\d{8})/(?<region>[^/]+)/(?<service>[^/]+)/aws4_request, ?SignedHeaders=(?<headers>[^,]+), ?Signature=(?<signature>[0-9a-f]{64})$")]
    private static partial Regex Authorization();

    /// <summary>Null when the signature is right; otherwise why not.</summary>
    public static string? Problem(RecordedRequest request, string accessKey, string secretKey, string region, string service)
    {
        var match = Authorization().Match(request.Header("authorization") ?? "");
        if (!match.Success) return $"no SigV4 Authorization header (got '{request.Header("authorization")}')";
        if (match.Groups["key"].Value != accessKey) return $"signed with access key {match.Groups["key"].Value}, not {accessKey}";
        if (match.Groups["region"].Value != region) return $"signed for region {match.Groups["region"].Value}, not {region}";
        if (match.Groups["service"].Value != service) return $"signed for service {match.Groups["service"].Value}, not {service}";
        var amzDate = request.Header("x-amz-date");
        if (amzDate is null || !amzDate.StartsWith(match.Groups["date"].Value, StringComparison.Ordinal)) return "x-amz-date is missing or does not match the scope";

        var signedHeaders = match.Groups["headers"].Value.Split(';');
        if (!signedHeaders.Contains("host") || !signedHeaders.Contains("x-amz-date")) return "host and x-amz-date must be signed";
        var payloadHash = Hex(SHA256.HashData(request.Body));
        if (request.Header("x-amz-content-sha256") is { } declared && declared != payloadHash) return "x-amz-content-sha256 does not match the body";

        var rawPath = request.RawTarget.Split('?')[0];
        var canonicalUri = string.Join('/', rawPath.Split('/').Select(Encode));
        var query = request.RawTarget.Contains('?') ? request.RawTarget[(request.RawTarget.IndexOf('?') + 1)..] : "";
        var canonicalQuery = string.Join('&', query.Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(pair => pair.Split('=', 2)).Select(kv => (Key: Encode(Uri.UnescapeDataString(kv[0])), Value: Encode(Uri.UnescapeDataString(kv.Length > 1 ? kv[1] : ""))))
            .OrderBy(kv => kv.Key, StringComparer.Ordinal).ThenBy(kv => kv.Value, StringComparer.Ordinal).Select(kv => $"{kv.Key}={kv.Value}"));
        var canonicalHeaders = string.Concat(signedHeaders.Select(name =>
            $"{name}:{Regex.Replace((request.Header(name) ?? "").Trim(), @"\s+", " ")}\n"));
        var canonicalRequest = $"{request.Method}\n{canonicalUri}\n{canonicalQuery}\n{canonicalHeaders}\n{string.Join(';', signedHeaders)}\n{request.Header("x-amz-content-sha256") ?? payloadHash}";

        var scope = $"{match.Groups["date"].Value}/{region}/{service}/aws4_request";
        var stringToSign = $"AWS4-HMAC-SHA256\n{amzDate}\n{scope}\n{Hex(SHA256.HashData(Encoding.UTF8.GetBytes(canonicalRequest)))}";
        var key = Hmac(Encoding.UTF8.GetBytes("AWS4" + secretKey), match.Groups["date"].Value);
        key = Hmac(Hmac(Hmac(key, region), service), "aws4_request");
        var expected = Hex(Hmac(key, stringToSign));
        return expected == match.Groups["signature"].Value ? null : $"signature mismatch; canonical request was:\n{canonicalRequest}";
    }

    /// <summary>RFC 3986 encoding as SigV4 wants it: unreserved characters stay, everything else is %XX (upper hex).</summary>
    private static string Encode(string value)
    {
        var builder = new StringBuilder();
        foreach (var b in Encoding.UTF8.GetBytes(value))
        {
            var c = (char)b;
            if (char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '~') builder.Append(c);
            else builder.Append('%').Append(b.ToString("X2"));
        }
        return builder.ToString();
    }

    private static byte[] Hmac(byte[] key, string data) => HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(data));

    private static string Hex(byte[] bytes) => Convert.ToHexStringLower(bytes);
}
