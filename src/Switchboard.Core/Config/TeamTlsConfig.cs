namespace Switchboard.Config;

/// <summary>
/// How a team gateway serves <c>https://</c> (<c>team.tls</c>). Claude Code pins the SHA-256 fingerprint of the leaf
/// certificate per host name on first sign-in, so every replica behind the name must present the same one: either a
/// configured certificate (the same files on every replica), one generated once and kept in PostgreSQL for every
/// replica to load (<see cref="SelfSigned"/>), or TLS ended by the load balancer in front (<see cref="Offloaded"/>).
/// </summary>
public sealed record TeamTlsConfig
{
    /// <summary>A PEM certificate (its chain after it) or a PKCS#12 (.pfx/.p12) file.</summary>
    public string? Certificate { get; init; }

    /// <summary>The PEM private key of <see cref="Certificate"/>, when it is not in the same file.</summary>
    public string? Key { get; init; }

    /// <summary>The password of a PKCS#12 file or an encrypted PEM key; may be <c>$VAR</c>.</summary>
    public string? Password { get; init; }

    /// <summary>Generate a certificate once (ECDSA P-256, for <c>publicUrl</c>'s host, loopback and <see cref="Hosts"/>) and keep it in PostgreSQL.</summary>
    public bool SelfSigned { get; init; }

    /// <summary>More host names or addresses a generated certificate covers.</summary>
    public IReadOnlyList<string>? Hosts { get; init; }

    /// <summary>The load balancer ends TLS and speaks plain HTTP to the replicas (which then may bind beyond loopback).</summary>
    public bool Offloaded { get; init; }

    /// <summary>Whether the replica itself speaks TLS.</summary>
    public bool ServedHere => !Offloaded && (SelfSigned || Certificate is not null);
}
