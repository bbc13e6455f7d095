using Switchboard.Ledger;

namespace Switchboard.Tests.Infrastructure;

/// <summary>Reads what a running Switchboard recorded, waiting for its background writer to get there.</summary>
public static class LedgerProbe
{
    /// <summary>The ledger's records, oldest first, once there are at least <paramref name="count"/>.</summary>
    public static async Task<List<RequestRecord>> RecordsAsync(this RunningSwitchboard switchboard, int count)
    {
        var ledger = switchboard.Server.Usage.Ledger ?? throw new InvalidOperationException("the ledger did not open");
        var records = await Eventually.WaitAsync(
            () => Task.FromResult(ledger.Recent(DateTimeOffset.UnixEpoch, DateTimeOffset.UtcNow.AddDays(1), 1000)),
            found => found.Count >= count,
            found => $"{count} ledger record(s); found {found.Count}",
            TimeSpan.FromSeconds(30));
        return records.Reverse().ToList();
    }
}
