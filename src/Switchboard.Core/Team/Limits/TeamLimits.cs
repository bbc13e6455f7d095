using Npgsql;
using static Switchboard.Team.TeamSql;

namespace Switchboard.Team;

/// <summary>
/// The <c>limits</c> table: at most one limit per subject, kind and period, so <see cref="SetAsync"/> creates or
/// replaces it. Replicas read limits through <see cref="TeamLimitBook"/>, which picks a change up within its lifetime.
/// </summary>
internal sealed class TeamLimits(NpgsqlDataSource database)
{
    private const string Columns = "id, subject_kind, subject_id, kind, period, amount";

    /// <summary>
    /// Sets the limit (creating it, or replacing the amount of the one already there); bad values throw
    /// <see cref="TeamStoreException"/>. With an <paramref name="actor"/>, the change writes its audit row in its transaction.
    /// </summary>
    public Task<TeamLimit> SetAsync(string subjectKind, Guid subjectId, string kind, string? period, decimal amount, CancellationToken cancellationToken,
        string? actor = null)
    {
        Check(subjectKind, kind, period, amount);
        return InTransactionAsync(database, async (connection, transaction) =>
        {
            await using var upsert = Command(connection, $"""
                INSERT INTO limits (id, subject_kind, subject_id, kind, period, amount) VALUES ($1, $2, $3, $4, $5, $6)
                ON CONFLICT (subject_kind, subject_id, kind, coalesce(period, '')) DO UPDATE SET amount = excluded.amount
                RETURNING {Columns}
                """, transaction, Value(Guid.CreateVersion7()), Value(subjectKind), Value(subjectId), Value(kind), Text(period), Value(amount));
            var limit = (await ReadAllAsync(upsert, Read, cancellationToken))[0];
            if (actor is not null)
                await TeamAudit.WriteAsync(connection, transaction, actor, TeamAudit.AdminChange, subjectId.ToString(),
                    [("change", "limit_set"), ("subject_kind", subjectKind), ("kind", kind), ("period", period),
                     ("amount", amount.ToString(System.Globalization.CultureInfo.InvariantCulture))], cancellationToken);
            return limit;
        }, cancellationToken);
    }

    /// <summary>Deletes the limit with this id, writing the audit row in its transaction; false when there was none.</summary>
    public Task<bool> DeleteAsync(Guid id, string actor, CancellationToken cancellationToken) =>
        InTransactionAsync(database, async (connection, transaction) =>
        {
            await using var delete = Command(connection, "DELETE FROM limits WHERE id = $1", transaction, Value(id));
            var deleted = await delete.ExecuteNonQueryAsync(cancellationToken) > 0;
            if (deleted)
                await TeamAudit.WriteAsync(connection, transaction, actor, TeamAudit.AdminChange, id.ToString(), [("change", "limit_deleted")], cancellationToken);
            return deleted;
        }, cancellationToken);

    /// <summary>Deletes the subject's limit of this kind and period; false when there was none.</summary>
    public async Task<bool> DeleteAsync(string subjectKind, Guid subjectId, string kind, string? period, CancellationToken cancellationToken)
    {
        await using var connection = await TeamDatabase.OpenAsync(database, cancellationToken);
        await using var delete = Command(connection,
            "DELETE FROM limits WHERE subject_kind = $1 AND subject_id = $2 AND kind = $3 AND coalesce(period, '') = coalesce($4, '')",
            null, Value(subjectKind), Value(subjectId), Value(kind), Text(period));
        return await delete.ExecuteNonQueryAsync(cancellationToken) > 0;
    }

    /// <summary>Every limit, or a subject's when <paramref name="subjectKind"/> and <paramref name="subjectId"/> are given.</summary>
    public async Task<List<TeamLimit>> ListAsync(string? subjectKind = null, Guid? subjectId = null, CancellationToken cancellationToken = default)
    {
        await using var connection = await TeamDatabase.OpenAsync(database, cancellationToken);
        await using var select = subjectKind is null || subjectId is not { } id
            ? Command(connection, $"SELECT {Columns} FROM limits ORDER BY subject_kind, subject_id, kind, period")
            : Command(connection, $"SELECT {Columns} FROM limits WHERE subject_kind = $1 AND subject_id = $2 ORDER BY kind, period",
                null, Value(subjectKind), Value(id));
        return await ReadAllAsync(select, Read, cancellationToken);
    }

    private static void Check(string subjectKind, string kind, string? period, decimal amount)
    {
        if (!TeamLimit.SubjectKinds.Contains(subjectKind))
            throw Invalid($"A limit is set on a user, a group or a key, not a '{subjectKind}'.");
        if (!TeamLimit.Kinds.Contains(kind))
            throw Invalid($"'{kind}' is not a kind of limit; use one of {string.Join(", ", TeamLimit.Kinds)}.");
        if (kind == TeamLimit.SpendUsd && !TeamLimit.Periods.Contains(period ?? ""))
            throw Invalid("A spend limit counts by day, week or month: give its period as day, week or month.");
        if (kind != TeamLimit.SpendUsd && period is not null)
            throw Invalid($"A {kind} limit has no period (it counts per minute or in flight); leave the period out.");
        if (amount < 0) throw Invalid($"A limit cannot be negative ({amount}); use 0 to refuse everything.");
    }

    private static TeamStoreException Invalid(string message) => new(message, failure: TeamStoreFailure.Invalid);

    private static TeamLimit Read(NpgsqlDataReader reader) => new(
        reader.GetGuid(0), reader.GetString(1), reader.GetGuid(2), reader.GetString(3), NullableText(reader, 4), reader.GetDecimal(5));
}
