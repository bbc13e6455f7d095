using Npgsql;
using static Switchboard.Team.TeamSql;

namespace Switchboard.Team;

/// <summary>
/// What a user, a group or a key spent in a window, summed from the shared ledger (<c>requests.cost</c>): the truth a
/// Redis spend counter is rebuilt from when Redis lost it, and what <c>/api/oauth/usage</c> shows a user with no cap.
/// Requests still in a replica's ledger queue are not in it yet.
/// </summary>
internal sealed class TeamSpendLedger(NpgsqlDataSource database)
{
    /// <summary>USD spent by the subject from <paramref name="from"/> (inclusive) to <paramref name="to"/>.</summary>
    public async Task<decimal> SpentAsync(string subjectKind, Guid subjectId, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        var column = subjectKind switch
        {
            TeamLimit.User => "user_id",
            TeamLimit.Group => "group_id",
            TeamLimit.Key => "key_id",
            _ => throw new ArgumentOutOfRangeException(nameof(subjectKind), subjectKind, "a user, a group or a key"),
        };
        await using var connection = await TeamDatabase.OpenAsync(database, cancellationToken);
        await using var sum = Command(connection,
            $"SELECT coalesce(sum(cost), 0)::numeric FROM requests WHERE {column} = $1 AND time >= $2 AND time < $3",
            null, Value(subjectId), Time(from), Time(to));
        return (decimal)(await sum.ExecuteScalarAsync(cancellationToken))!;
    }
}
