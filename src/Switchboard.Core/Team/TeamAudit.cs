using System.Text;
using System.Text.Json;
using Npgsql;

namespace Switchboard.Team;

/// <summary>
/// Writes <c>audit_log</c> rows. Admin changes are written in the same transaction as the change, so a change is
/// never without its row nor a row without its change. Details are flat text pairs written with
/// <see cref="Utf8JsonWriter"/> (no reflection, so Native AOT keeps it) and never hold a key or a password.
/// </summary>
internal static class TeamAudit
{
    public const string AdminChange = "admin_change";
    public const string KeyUse = "key_use";
    public const string Block = "block";

    // Why a request of an accepted key was blocked (a block row's "reason"; a refused key gives its KeyRefusal).
    public const string SpendCapReached = "spend_cap";
    public const string LimitsUnreadable = "limits_unreadable";
    public const string ModelDenied = "model_denied";

    public static async Task WriteAsync(
        NpgsqlConnection connection, NpgsqlTransaction? transaction, string actor, string action, string? subject,
        IReadOnlyList<(string Name, string? Value)> detail, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            "INSERT INTO audit_log (actor, action, subject, detail) VALUES ($1, $2, $3, $4::jsonb)", connection, transaction);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = actor });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = action });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)subject ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = Json(detail) });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static string Json(IReadOnlyList<(string Name, string? Value)> detail)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach (var (name, value) in detail)
                if (value is null) writer.WriteNull(name); else writer.WriteString(name, value);
            writer.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
