using Microsoft.Extensions.Logging;
using Switchboard.Config;
using Switchboard.Ledger;

namespace Switchboard.Hosting;

/// <summary>
/// The usage side of one server: the ledger file and its background writer, the metrics, the live feed, and the
/// recorder the Messages endpoint reports to. A ledger that cannot be opened is logged and left out; requests,
/// metrics and the live log carry on without it.
/// </summary>
internal sealed partial class LedgerServices : IAsyncDisposable
{
    private LedgerServices(UsageLedger? ledger, LedgerWriter? writer, ConfigStore config)
    {
        Ledger = ledger;
        Writer = writer;
        Recorder = new UsageRecorder(() => config.Current.Config, config.Registry, Metrics, Live, writer);
    }

    public UsageLedger? Ledger { get; }
    public LedgerWriter? Writer { get; }
    public UsageMetrics Metrics { get; } = new();
    public LiveFeed Live { get; } = new();
    public UsageRecorder Recorder { get; }

    public static LedgerServices Create(SwitchboardHome home, ConfigStore config, ILogger logger, TimeProvider time)
    {
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
        var writer = ledger is null ? null : new LedgerWriter(ledger, () => config.Current.Config.Ledger, logger, time);
        return new LedgerServices(ledger, writer, config);
    }

    public async ValueTask DisposeAsync()
    {
        if (Writer is not null) await Writer.DisposeAsync();
    }

    [LoggerMessage(EventIds.LedgerUnavailable, LogLevel.Error, "Usage ledger {File} cannot be opened; requests are not recorded")]
    private static partial void LogUnavailable(ILogger logger, Exception exception, string file);
}
