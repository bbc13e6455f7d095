using System.Net.Sockets;
using Npgsql;

namespace Switchboard.Team;

/// <summary>Team mode's PostgreSQL: one data source per replica, and failures to reach it said plainly.</summary>
internal static class TeamDatabase
{
    /// <summary>
    /// A data source for <paramref name="connectionString"/> (already <c>$VAR</c>-expanded). The slim builder leaves
    /// out Npgsql's reflection-based type mapping, which Native AOT could not keep.
    /// </summary>
    public static NpgsqlDataSource Create(string connectionString)
    {
        NpgsqlConnectionStringBuilder parsed;
        try { parsed = new NpgsqlConnectionStringBuilder(connectionString); }
        catch (ArgumentException ex)
        {
            throw new TeamStoreException($"team.postgres is not an Npgsql connection string ({ex.Message}); write it as Host=…;Database=…;Username=…;Password=….", ex);
        }
        var builder = new NpgsqlSlimDataSourceBuilder(parsed.ConnectionString);
        builder.EnableArrays();
        return builder.Build();
    }

    /// <summary>Opens a connection, turning "cannot reach it" into an error that names the server (never the password).</summary>
    public static async Task<NpgsqlConnection> OpenAsync(NpgsqlDataSource database, CancellationToken cancellationToken)
    {
        try
        {
            return await database.OpenConnectionAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is NpgsqlException or SocketException or TimeoutException && !cancellationToken.IsCancellationRequested)
        {
            throw Unusable(database, ex);
        }
    }

    /// <summary><see cref="OpenAsync"/> for the few readers that are synchronous (the ledger's reports).</summary>
    public static NpgsqlConnection Open(NpgsqlDataSource database)
    {
        try
        {
            return database.OpenConnection();
        }
        catch (Exception ex) when (ex is NpgsqlException or SocketException or TimeoutException)
        {
            throw Unusable(database, ex);
        }
    }

    private static TeamStoreException Unusable(NpgsqlDataSource database, Exception ex)
    {
        var parsed = new NpgsqlConnectionStringBuilder(database.ConnectionString);
        return new TeamStoreException(
            $"PostgreSQL at {parsed.Host}:{parsed.Port} (database '{parsed.Database}', user '{parsed.Username}') cannot be used: " +
            $"{ex.Message.TrimEnd('.')}. Start it, or fix team.postgres in the config.", ex);
    }
}
