using System.Collections.Frozen;
using System.Security.Cryptography;
using Npgsql;
using static Switchboard.Team.TeamSql;

namespace Switchboard.Team;

/// <summary>
/// The ES256 (ECDSA P-256) keys bearer tokens are signed with, kept in PostgreSQL's <c>signing_keys</c> so that a
/// token one replica signs, every replica verifies. The newest key signs. A replica starting when the newest key is
/// older than <see cref="RotateAfter"/> adds a new one (under an advisory lock, so replicas starting together add
/// one between them) and retires the others; a retired key keeps verifying for <see cref="Overlap"/>, longer than
/// any access token lives, so a rotation signs nobody out. A token naming a key this replica has not loaded (another
/// replica rotated since) makes it read the table again, at most once every few seconds.
/// </summary>
internal sealed class SigningKeyRing(NpgsqlDataSource database, TimeProvider time) : IDisposable
{
    public static readonly TimeSpan RotateAfter = TimeSpan.FromDays(30);
    public static readonly TimeSpan Overlap = TimeSpan.FromDays(2);
    private static readonly TimeSpan ReloadAtMostEvery = TimeSpan.FromSeconds(5);

    /// <summary>"SWBD" "SIGN": the lock around adding a key.</summary>
    private const long RotationLock = 0x5357_4244_5349_474E;

    private sealed record Loaded(string SignerId, ECDsa Signer, FrozenDictionary<string, ECDsa> Verifiers, DateTimeOffset At);

    private Loaded? _loaded;
    private long _lastReloadTicks;

    /// <summary>Loads the keys, adding one first when there is none or the newest is due for rotation.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using (var connection = await TeamDatabase.OpenAsync(database, cancellationToken))
        {
            await using (var locked = Command(connection, $"SELECT pg_advisory_lock({RotationLock})")) await locked.ExecuteNonQueryAsync(cancellationToken);
            try
            {
                await using var newest = Command(connection, "SELECT max(created_at) FROM signing_keys WHERE retired_at IS NULL");
                var created = await newest.ExecuteScalarAsync(cancellationToken);
                if (created is not DateTime at || time.GetUtcNow() - new DateTimeOffset(at, TimeSpan.Zero) > RotateAfter)
                    await AddKeyAsync(connection, cancellationToken);
            }
            finally
            {
                await using var unlock = Command(connection, $"SELECT pg_advisory_unlock({RotationLock})");
                await unlock.ExecuteNonQueryAsync(CancellationToken.None);
            }
        }
        await ReloadAsync(cancellationToken);
    }

    /// <summary>The key id and key that sign new tokens.</summary>
    public (string Id, ECDsa Key) Signer => _loaded is { } loaded ? (loaded.SignerId, loaded.Signer)
        : throw new InvalidOperationException("signing keys are not loaded yet");

    /// <summary>The key that verifies tokens signed by <paramref name="id"/>, reading the table again if this replica does not know it.</summary>
    public async ValueTask<ECDsa?> VerifierAsync(string id, CancellationToken cancellationToken)
    {
        if (_loaded?.Verifiers.GetValueOrDefault(id) is { } known) return known;
        var now = time.GetUtcNow().UtcTicks;
        var last = Interlocked.Read(ref _lastReloadTicks);
        if (now - last < ReloadAtMostEvery.Ticks || Interlocked.CompareExchange(ref _lastReloadTicks, now, last) != last) return null;
        await ReloadAsync(cancellationToken);
        return _loaded?.Verifiers.GetValueOrDefault(id);
    }

    private static async Task AddKeyAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var retire = Command(connection, "UPDATE signing_keys SET retired_at = now() WHERE retired_at IS NULL", transaction))
            await retire.ExecuteNonQueryAsync(cancellationToken);
        await using (var insert = Command(connection, "INSERT INTO signing_keys (id, private_key, public_key) VALUES ($1, $2, $3)", transaction,
            Value(System.Buffers.Text.Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(12))),
            Value(key.ExportPkcs8PrivateKey()), Value(key.ExportSubjectPublicKeyInfo())))
            await insert.ExecuteNonQueryAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    private async Task ReloadAsync(CancellationToken cancellationToken)
    {
        await using var connection = await TeamDatabase.OpenAsync(database, cancellationToken);
        await using var select = Command(connection, """
            SELECT id, private_key, public_key, retired_at IS NULL FROM signing_keys
            WHERE retired_at IS NULL OR retired_at > now() - $1::interval
            ORDER BY created_at DESC
            """, null, Value(Overlap));
        var rows = await ReadAllAsync(select, row => (Id: row.GetString(0), Private: row.GetFieldValue<byte[]>(1),
            Public: row.GetFieldValue<byte[]>(2), Current: row.GetBoolean(3)), cancellationToken);
        var current = rows.FirstOrDefault(row => row.Current);
        if (current.Id is null) throw new TeamStoreException("The team database holds no current signing key; restart a replica to add one.");
        var signer = ECDsa.Create();
        signer.ImportPkcs8PrivateKey(current.Private, out _);
        var verifiers = rows.ToFrozenDictionary(row => row.Id, row =>
        {
            var verifier = ECDsa.Create();
            verifier.ImportSubjectPublicKeyInfo(row.Public, out _);
            return verifier;
        }, StringComparer.Ordinal);
        // The keys replaced stay alive: a verification in flight may still hold one. They are few (one per rotation).
        Interlocked.Exchange(ref _loaded, new Loaded(current.Id, signer, verifiers, time.GetUtcNow()));
    }

    public void Dispose()
    {
        if (_loaded is not { } loaded) return;
        loaded.Signer.Dispose();
        foreach (var verifier in loaded.Verifiers.Values) verifier.Dispose();
    }
}
