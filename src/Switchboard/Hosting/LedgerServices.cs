using Microsoft.Extensions.Logging;
using Switchboard.Config;
using Switchboard.Hosting.Team;
using Switchboard.Ledger;
using Switchboard.Team.Ledger;

namespace Switchboard.Hosting;

/// <summary>
/// The usage side of one server: the ledger and its background writer, the metrics, the live feed, and the
/// recorder the Messages endpoint reports to. On the local path the ledger is the SQLite file; one that cannot be
/// opened is logged and left out, and requests, metrics and the live log carry on without it. In team mode it is
/// the team ledger in PostgreSQL, written by every replica and read across all of them; no file is opened.
/// </summary>
internal sealed partial class LedgerServices : IAsyncDisposable
{
    private LedgerServices(UsageLedger? ledger, IUsageReader? reader, LedgerWriter? writer, ConfigStore config)
    {
        Ledger = ledger;
        Reader = reader;
        Writer = writer;
        Recorder = new UsageRecorder(() => config.Current.Config, config.Registry, Metrics, Live, writer);
    }

    /// <summary>The SQLite file, on the local path.</summary>
    public UsageLedger? Ledger { get; }

    /// <summary>Where the dashboard and <c>/metrics</c> read usage: the file, or the team ledger in team mode.</summary>
    public IUsageReader? Reader { get; }

    public LedgerWriter? Writer { get; }
    public UsageMetrics Metrics { get; } = new();
    public LiveFeed Live { get; } = new();
    public UsageRecorder Recorder { get; }

    /// <param name="replica">Team mode: this replica's id, read when a batch is written (the port is known once it listens).</param>
    public static LedgerServices Create(SwitchboardHome home, ConfigStore config, ILogger logger, TimeProvider time,
        TeamServices? team = null, Func<string>? replica = null)
    {
        Func<LedgerConfig> settings = () => config.Current.Config.Ledger;
        var capacity = settings().QueueSize;
        if (team is not null)
        {
            var store = new TeamLedgerStore(team.Database, replica ?? (() => Environment.MachineName));
            var teamWriter = new LedgerWriter(store, settings, logger, time, capacity, TeamLedgerStore.Retry, OpenSpool(home, logger));
            return new LedgerServices(null, new TeamLedgerReader(team.Database), teamWriter, config);
        }
        UsageLedger? ledger = null;
        try
        {
            ledger = UsageLedger.Open(home.LedgerFile);
        }
        catch (Exception ex)
        {
            // Whatever went wrong (a read-only folder, a corrupt file, a missing native SQLite), requests still flow.
            LogUnavailable(logger, ex, home.LedgerFile);
        }
        var writer = ledger is null ? null : new LedgerWriter(ledger, settings, logger, time, capacity);
        return new LedgerServices(ledger, ledger, writer, config);
    }

    /// <summary>The team ledger's spool in the home folder; without one (a read-only home) records live in memory only.</summary>
    private static LedgerSpool? OpenSpool(SwitchboardHome home, ILogger logger)
    {
        try
        {
            return LedgerSpool.Open(home.TeamLedgerSpool);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            LogSpoolUnavailable(logger, ex, home.TeamLedgerSpool);
            return null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Writer is not null) await Writer.DisposeAsync();
    }

    [LoggerMessage(EventIds.LedgerUnavailable, LogLevel.Error, "Usage ledger {File} cannot be opened; requests are not recorded")]
    private static partial void LogUnavailable(ILogger logger, Exception exception, string file);

    [LoggerMessage(EventIds.LedgerSpoolFailed, LogLevel.Error,
        "Team ledger spool {Folder} cannot be opened; requests are recorded, but a replica killed loses what only its memory holds")]
    private static partial void LogSpoolUnavailable(ILogger logger, Exception exception, string folder);
}
