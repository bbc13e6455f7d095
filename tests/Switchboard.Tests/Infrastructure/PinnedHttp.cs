using System.Net.Security;
using Switchboard.Team;

namespace Switchboard.Tests.Infrastructure;

/// <summary>
/// A client for a gateway serving a self-signed leaf, as a pinned client reaches it: what the machine trusts, and the
/// one leaf with the given SHA-256 fingerprint, nothing else.
/// </summary>
public static class PinnedHttp
{
    public static HttpClient Client(string baseUrl, string fingerprint)
    {
        var handler = new SocketsHttpHandler();
        handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
            errors == SslPolicyErrors.None || (certificate is not null && CertificateFingerprint.Of(certificate) == fingerprint);
        return new HttpClient(handler) { BaseAddress = new Uri(baseUrl) };
    }
}
