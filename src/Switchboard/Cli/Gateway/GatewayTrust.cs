using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Switchboard.Team;

namespace Switchboard.Cli.Gateway;

/// <summary>
/// Trusting a gateway's certificate as Claude Code does (gateway protocol, "TLS"): one this machine's authorities
/// vouch for is used as is; a self-signed or privately issued one is trusted only once a person confirms its SHA-256
/// fingerprint, and from then on only that leaf (a pin, kept with the sign-in) for that gateway.
/// </summary>
internal static class GatewayTrust
{
    /// <summary>What a gateway presented: its leaf, and whether this machine trusts it without a pin.</summary>
    public sealed record Presented(X509Certificate2 Leaf, bool TrustedHere)
    {
        public string Fingerprint => CertificateFingerprint.Of(Leaf);
    }

    /// <summary>Shakes hands with <paramref name="gateway"/> (https) and reports its certificate; nothing is sent over it.</summary>
    public static async Task<Presented> PresentedAsync(Uri gateway, CancellationToken cancellationToken)
    {
        using var tcp = new TcpClient();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(15));
        await tcp.ConnectAsync(gateway.DnsSafeHost, gateway.Port, timeout.Token);
        X509Certificate2? leaf = null;
        var errors = SslPolicyErrors.None;
        await using var tls = new SslStream(tcp.GetStream(), false, (_, certificate, _, policy) =>
        {
            leaf = certificate is null ? null : X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
            errors = policy;
            return true;
        });
        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = gateway.IdnHost }, timeout.Token);
        return new Presented(leaf ?? throw new HttpRequestException($"{gateway.Authority} presented no certificate"), errors == SslPolicyErrors.None);
    }

    /// <summary>An HTTP client that trusts what this machine trusts, and the leaf with <paramref name="pinnedFingerprint"/>.</summary>
    public static HttpClient Client(string? pinnedFingerprint, TimeSpan timeout)
    {
        var handler = new SocketsHttpHandler();
        handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
            errors == SslPolicyErrors.None
            || (pinnedFingerprint is not null && certificate is not null && CertificateFingerprint.Of(certificate) == pinnedFingerprint);
        var http = new HttpClient(handler) { Timeout = timeout };
        http.DefaultRequestHeaders.UserAgent.ParseAdd($"switchboard/{Hosting.InfoEndpoints.Version}");
        return http;
    }

    /// <summary>
    /// The file Claude Code is told to trust (<c>NODE_EXTRA_CA_CERTS</c>): the pinned leaf, after whatever the user's
    /// own <c>NODE_EXTRA_CA_CERTS</c> names (that variable holds one file, so theirs is kept by copying it in). The leaf
    /// is not a CA, so trusting it vouches for the gateway and nothing it could sign.
    /// </summary>
    public static string WriteTrustFile(Config.SwitchboardHome home, string pinnedPem, string? usersOwn)
    {
        var theirs = usersOwn is { Length: > 0 } && File.Exists(usersOwn) ? File.ReadAllText(usersOwn).TrimEnd() + "\n" : "";
        Files.AtomicFile.Write(home.GatewayTrustFile, theirs + pinnedPem.TrimEnd() + "\n");
        return home.GatewayTrustFile;
    }
}
