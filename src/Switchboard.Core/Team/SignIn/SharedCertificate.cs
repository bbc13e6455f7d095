using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Npgsql;
using static Switchboard.Team.TeamSql;

namespace Switchboard.Team;

/// <summary>
/// The gateway's generated TLS certificate (<c>team.tls.selfSigned</c>), one for every replica: the first replica to
/// start makes it and stores it in <c>gateway_certificates</c>; a replica starting at the same moment loses the insert
/// and loads the winner's, so all of them present the leaf Claude Code pinned. ECDSA P-256, not a CA (trusting it, as
/// <c>NODE_EXTRA_CA_CERTS</c> does, vouches for this host only), valid <see cref="Validity"/>.
/// </summary>
public static class SharedCertificate
{
    public static readonly TimeSpan Validity = TimeSpan.FromDays(730);
    private const string Name = "gateway";

    /// <summary>The stored certificate with its key, made first (for <paramref name="hosts"/>) when there is none.</summary>
    public static async Task<X509Certificate2> LoadOrCreateAsync(NpgsqlDataSource database, IReadOnlyList<string> hosts, TimeProvider time,
        CancellationToken cancellationToken)
    {
        if (await LoadAsync(database, cancellationToken) is { } stored) return stored;
        using (var made = Create(hosts, time.GetUtcNow()))
        {
            await using var connection = await TeamDatabase.OpenAsync(database, cancellationToken);
            await using var insert = Command(connection,
                "INSERT INTO gateway_certificates (name, certificate_pem, key_pem) VALUES ($1, $2, $3) ON CONFLICT (name) DO NOTHING", null,
                Text(Name), Text(made.ExportCertificatePem()), Text(made.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem()));
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }
        return await LoadAsync(database, cancellationToken)
               ?? throw new TeamStoreException("The gateway's TLS certificate was stored but cannot be read back from gateway_certificates.");
    }

    /// <summary>A self-signed leaf for <paramref name="hosts"/> (names, or IP addresses as SANs of their own kind).</summary>
    public static X509Certificate2 Create(IReadOnlyList<string> hosts, DateTimeOffset now)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(new X500DistinguishedName($"CN={hosts[0]}, O=Switchboard gateway"), key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        foreach (var host in hosts.Distinct(StringComparer.OrdinalIgnoreCase))
            if (IPAddress.TryParse(host.Trim('[', ']'), out var address)) names.AddIpAddress(address);
            else names.AddDnsName(host);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        return request.CreateSelfSigned(now.AddDays(-1), now + Validity);
    }

    private static async Task<X509Certificate2?> LoadAsync(NpgsqlDataSource database, CancellationToken cancellationToken)
    {
        await using var connection = await TeamDatabase.OpenAsync(database, cancellationToken);
        await using var select = Command(connection, "SELECT certificate_pem, key_pem FROM gateway_certificates WHERE name = $1", null, Text(Name));
        await using var reader = await select.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? X509Certificate2.CreateFromPem(reader.GetString(0), reader.GetString(1)) : null;
    }
}
