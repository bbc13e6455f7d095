namespace Switchboard.Config;

/// <summary>The usage ledger (<c>ledger</c> in config): the SQLite file <c>usage.db</c> in the home folder.</summary>
public sealed record LedgerConfig
{
    public const int DefaultRetentionDays = 90;

    /// <summary>When false, requests are still counted in <c>/metrics</c> and the live log, but not stored.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Requests older than this are deleted.</summary>
    public int RetentionDays { get; set; } = DefaultRetentionDays;
}
