using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.Logging;
using Npgsql;
using Switchboard.Config;
using Switchboard.Team;

namespace Switchboard.Hosting.Team;

/// <summary>
/// The https a team replica serves (<c>team.tls</c>, gateway protocol "TLS"): a configured certificate read at start,
/// or the generated one every replica loads from PostgreSQL once the schema is there. Kestrel is told before either
/// exists; each handshake takes the context loaded by then, and none can happen before <see cref="StartAsync"/>
/// because the server listens after it.
/// </summary>
internal sealed partial class GatewayTls
{
    private readonly TeamTlsConfig _config;
    private readonly IReadOnlyList<string> _hosts;
    private SslStreamCertificateContext? _context;

    private GatewayTls(TeamTlsConfig config, IReadOnlyList<string> hosts)
    {
        _config = config;
        _hosts = hosts;
    }

    /// <summary>The leaf this replica presents; set by <see cref="Create"/> or <see cref="StartAsync"/>.</summary>
    public X509Certificate2? Certificate { get; private set; }

    /// <summary>
    /// The TLS a team section asks this replica to serve, or null (plain HTTP: loopback, or TLS ended in front). A
    /// configured certificate that cannot be read is a <see cref="ConfigException"/> naming the file and why.
    /// </summary>
    public static GatewayTls? Create(TeamConfig team, string configFile)
    {
        if (team.Tls is not { ServedHere: true } tls) return null;
        var hosts = new List<string>();
        if (Uri.TryCreate(EnvExpander.Expand(team.PublicUrl ?? ""), UriKind.Absolute, out var publicUrl)) hosts.Add(publicUrl.IdnHost);
        hosts.AddRange(tls.Hosts ?? []);
        hosts.AddRange(["localhost", "127.0.0.1", "::1"]);
        var served = new GatewayTls(tls, hosts);
        if (tls.Certificate is { } path) served.Use(Load(tls, path, configFile));
        return served;
    }

    /// <summary>Loads (or makes, once for every replica) the generated certificate; the configured one is already loaded.</summary>
    public async Task StartAsync(NpgsqlDataSource database, TimeProvider time, ILogger logger, CancellationToken cancellationToken)
    {
        if (Certificate is null) Use(await SharedCertificate.LoadOrCreateAsync(database, _hosts, time, cancellationToken));
        LogCertificate(logger, _config.SelfSigned ? "generated, kept in PostgreSQL" : _config.Certificate!,
            CertificateFingerprint.Of(Certificate!), Certificate!.NotAfter.ToUniversalTime());
    }

    /// <summary>Makes <paramref name="listen"/> speak TLS with this replica's certificate.</summary>
    public void Apply(ListenOptions listen) =>
        listen.UseHttps(new TlsHandshakeCallbackOptions
        {
            OnConnection = _ => ValueTask.FromResult(new SslServerAuthenticationOptions
            {
                ServerCertificateContext = _context ?? throw new InvalidOperationException("the gateway's certificate is not loaded yet"),
            }),
        });

    private void Use(X509Certificate2 certificate, X509Certificate2Collection? chain = null)
    {
        Certificate = certificate;
        _context = SslStreamCertificateContext.Create(certificate, chain ?? [], offline: true);
    }

    private void Use((X509Certificate2 Leaf, X509Certificate2Collection Chain) loaded) => Use(loaded.Leaf, loaded.Chain);

    private static (X509Certificate2, X509Certificate2Collection) Load(TeamTlsConfig tls, string path, string configFile)
    {
        var password = tls.Password is { } secret ? EnvExpander.Expand(secret) : null;
        try
        {
            if (Path.GetExtension(path).ToLowerInvariant() is ".pfx" or ".p12")
            {
                var all = X509CertificateLoader.LoadPkcs12CollectionFromFile(path, password);
                var leaf = all.FirstOrDefault(certificate => certificate.HasPrivateKey)
                           ?? throw new CryptographicException("the file holds no certificate with its private key");
                all.Remove(leaf);
                return (leaf, all);
            }
            var keyPath = tls.Key ?? path;
            var withKey = password is null ? X509Certificate2.CreateFromPemFile(path, keyPath) : X509Certificate2.CreateFromEncryptedPemFile(path, password, keyPath);
            var chain = new X509Certificate2Collection();
            chain.ImportFromPemFile(path);
            var rest = new X509Certificate2Collection(chain.Where(certificate => certificate.Thumbprint != withKey.Thumbprint).ToArray());
            return (withKey, rest);
        }
        catch (Exception ex) when (ex is CryptographicException or IOException or UnauthorizedAccessException or ArgumentException)
        {
            throw new ConfigException([new ConfigError(configFile, "$.team.tls.certificate",
                $"cannot serve https with '{path}'{(tls.Key is { } key ? $" and key '{key}'" : "")}: {ex.Message.TrimEnd('.')} " +
                "(a PEM certificate with its PEM key, or a .pfx/.p12 with \"password\")")]);
        }
    }

    [LoggerMessage(EventIds.TeamCertificate, LogLevel.Information,
        "Team mode: https with the certificate {Source}, SHA-256 fingerprint {Fingerprint}, valid until {NotAfter:u} (developers confirm this fingerprint at sign-in)")]
    private static partial void LogCertificate(ILogger logger, string source, string fingerprint, DateTime notAfter);
}
