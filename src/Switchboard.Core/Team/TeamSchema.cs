using System.Reflection;
using Npgsql;

namespace Switchboard.Team;

/// <summary>
/// The team database's schema: numbered SQL migrations (<c>Team/Migrations/NNNN_name.sql</c>, embedded), applied at
/// start in order, each in its own transaction and recorded in <c>schema_migrations</c>. Replicas starting together
/// take a PostgreSQL advisory lock first, so one applies and the others find the work done. A replica refuses a
/// database whose schema is newer than it knows: an older binary would write rows a newer schema no longer means.
/// </summary>
internal static class TeamSchema
{
    /// <summary>The advisory lock every replica takes around migrations ("SWBD" "MIGR"), visible in <c>pg_locks</c>.</summary>
    private const long MigrationLock = 0x5357_4244_4D49_4752;

    private const string ResourcePrefix = "team-migrations/";

    public sealed record Migration(int Version, string Name, string Sql);

    /// <summary>The migrations this build knows, in order.</summary>
    public static IReadOnlyList<Migration> Known { get; } = Load();

    public static int LatestVersion => Known[^1].Version;

    /// <summary>Brings the database up to <see cref="LatestVersion"/>; returns the versions this call applied.</summary>
    public static async Task<IReadOnlyList<int>> MigrateAsync(NpgsqlDataSource database, CancellationToken cancellationToken)
    {
        await using var connection = await TeamDatabase.OpenAsync(database, cancellationToken);
        await ExecuteAsync(connection, $"SELECT pg_advisory_lock({MigrationLock})", cancellationToken);
        try
        {
            await ExecuteAsync(connection, """
                CREATE TABLE IF NOT EXISTS schema_migrations (
                  version     integer PRIMARY KEY,
                  name        text NOT NULL,
                  applied_at  timestamptz NOT NULL DEFAULT now())
                """, cancellationToken);
            var current = await CurrentVersionAsync(connection, cancellationToken);
            if (current > LatestVersion)
                throw new TeamStoreException(
                    $"The team database's schema is version {current}, newer than this Switchboard knows (version {LatestVersion}). " +
                    "Run the same Switchboard version on every replica: upgrade this one.");

            var applied = new List<int>();
            foreach (var migration in Known.Where(m => m.Version > current))
            {
                await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
                await ExecuteAsync(connection, migration.Sql, cancellationToken);
                await using var record = new NpgsqlCommand("INSERT INTO schema_migrations (version, name) VALUES ($1, $2)", connection);
                record.Parameters.Add(new NpgsqlParameter<int> { TypedValue = migration.Version });
                record.Parameters.Add(new NpgsqlParameter<string> { TypedValue = migration.Name });
                await record.ExecuteNonQueryAsync(cancellationToken);
                await transaction.CommitAsync(cancellationToken);
                applied.Add(migration.Version);
            }
            return applied;
        }
        finally
        {
            // Also released when the connection closes; said explicitly so a pooled connection never keeps it.
            await ExecuteAsync(connection, $"SELECT pg_advisory_unlock({MigrationLock})", CancellationToken.None);
        }
    }

    /// <summary>The highest migration applied, or 0 for an empty database.</summary>
    public static async Task<int> CurrentVersionAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT coalesce(max(version), 0) FROM schema_migrations", connection);
        return (int)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static List<Migration> Load()
    {
        var assembly = typeof(TeamSchema).Assembly;
        var migrations = assembly.GetManifestResourceNames()
            .Where(name => name.StartsWith(ResourcePrefix, StringComparison.Ordinal))
            .Select(name => Read(assembly, name))
            .OrderBy(m => m.Version)
            .ToList();
        for (var i = 0; i < migrations.Count; i++)
            if (migrations[i].Version != i + 1)
                throw new InvalidOperationException($"Team migrations must be numbered 1, 2, 3… without gaps; found {migrations[i].Version} at place {i + 1}.");
        return migrations;
    }

    private static Migration Read(Assembly assembly, string resource)
    {
        var file = resource[ResourcePrefix.Length..];
        using var reader = new StreamReader(assembly.GetManifestResourceStream(resource)!);
        return new Migration(int.Parse(file[..4], System.Globalization.CultureInfo.InvariantCulture), file[5..^4], reader.ReadToEnd());
    }
}
