namespace Switchboard.Config;

/// <summary>The usage ledger (<c>ledger</c> in config): the SQLite file <c>usage.db</c> in the home folder.</summary>
/// <remarks>The defaults are constructor parameters so that the source-generated reader keeps them (see <see cref="SwitchboardConfig"/>).</remarks>
public sealed record LedgerConfig(bool Enabled = true, int RetentionDays = LedgerConfig.DefaultRetentionDays,
    int QueueSize = LedgerConfig.DefaultQueueSize)
{
    public const int DefaultRetentionDays = 90;
    public const int DefaultQueueSize = 10_000;

    /// <summary>When false, requests are still counted in <c>/metrics</c> and the live log, but not stored.</summary>
    public bool Enabled { get; init; } = Enabled;

    /// <summary>Requests older than this are deleted.</summary>
    public int RetentionDays { get; init; } = RetentionDays;

    /// <summary>
    /// How many requests may wait to be written (queued or in the batch being sent) before new ones are dropped,
    /// counted and logged; read at start. In team mode this is what a PostgreSQL outage can hold without loss.
    /// </summary>
    public int QueueSize { get; init; } = QueueSize;
}
