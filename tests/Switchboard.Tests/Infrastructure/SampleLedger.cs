using Switchboard.Ledger;

namespace Switchboard.Tests.Infrastructure;

/// <summary>A small usage ledger for the <c>usage</c> command's tests: two sessions today, one 3 and one 20 days ago.</summary>
public static class SampleLedger
{
    public static void Write(TempHome home)
    {
        var now = DateTimeOffset.Now;
        UsageLedger.Open(home.Home.LedgerFile).Append(
        [
            Record(now, "anthropic", "claude-sonnet-4-5", "s1", 1000, 100, cost: 0.0045, requested: 0.0045),
            Record(now, "ollama-local", "qwen3:8b", "s1", 4000, 500, cost: 0, requested: 0.0065),
            Record(now, "ollama-local", "qwen3:8b", "s2", 2000, 250, cost: 0, requested: 0.00325),
            Record(now.AddDays(-3), "anthropic", "claude-opus-4-5", "s0", 10, 10, cost: 1, requested: 1),
            Record(now.AddDays(-20), "anthropic", "claude-opus-4-5", "s0", 10, 10, cost: 2, requested: 2),
        ]);
    }

    /// <summary>The ledger is SQLite; its pooled connections must close before the home folder can be deleted.</summary>
    public static void Release() => Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();

    private static RequestRecord Record(DateTimeOffset time, string provider, string model, string session, long input, long output,
        double cost, double requested) => new()
    {
        Time = time,
        Provider = provider,
        Model = model,
        RequestedModel = "claude-sonnet-4-5",
        Session = session,
        InputTokens = input,
        OutputTokens = output,
        Cost = cost,
        RequestedCost = requested,
        Status = 200,
        LatencyMs = 10,
    };
}
