using Npgsql;
using NpgsqlTypes;

namespace Switchboard.Team;

/// <summary>
/// The few shapes every team store repeats: typed parameters (the slim data source maps no CLR type by reflection,
/// so each parameter says its type), nullable columns, and a transaction around a change and its audit row.
/// </summary>
internal static class TeamSql
{
    /// <summary>PostgreSQL's SQLSTATE for a unique constraint violated.</summary>
    public const string UniqueViolation = "23505";

    /// <summary>PostgreSQL's SQLSTATE for a foreign key pointing at nothing.</summary>
    public const string ForeignKeyViolation = "23503";

    public static NpgsqlCommand Command(NpgsqlConnection connection, string sql, NpgsqlTransaction? transaction = null, params NpgsqlParameter[] parameters)
    {
        var command = new NpgsqlCommand(sql, connection, transaction);
        command.Parameters.AddRange(parameters);
        return command;
    }

    public static NpgsqlParameter<T> Value<T>(T value) => new() { TypedValue = value };

    public static NpgsqlParameter Text(string? value) => new() { Value = (object?)value ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text };

    public static NpgsqlParameter Time(DateTimeOffset? value) =>
        new() { Value = value is { } time ? time.ToUniversalTime() : DBNull.Value, NpgsqlDbType = NpgsqlDbType.TimestampTz };

    public static DateTimeOffset? NullableTime(NpgsqlDataReader reader, int column) =>
        reader.IsDBNull(column) ? null : reader.GetFieldValue<DateTimeOffset>(column);

    public static string? NullableText(NpgsqlDataReader reader, int column) => reader.IsDBNull(column) ? null : reader.GetString(column);

    /// <summary>Runs <paramref name="change"/> in one transaction on a fresh connection and commits it.</summary>
    public static async Task<T> InTransactionAsync<T>(
        NpgsqlDataSource database, Func<NpgsqlConnection, NpgsqlTransaction, Task<T>> change, CancellationToken cancellationToken)
    {
        await using var connection = await TeamDatabase.OpenAsync(database, cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var result = await change(connection, transaction);
        await transaction.CommitAsync(cancellationToken);
        return result;
    }

    /// <summary>Reads every row of <paramref name="command"/> with <paramref name="read"/>.</summary>
    public static async Task<List<T>> ReadAllAsync<T>(NpgsqlCommand command, Func<NpgsqlDataReader, T> read, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = new List<T>();
        while (await reader.ReadAsync(cancellationToken)) rows.Add(read(reader));
        return rows;
    }
}
