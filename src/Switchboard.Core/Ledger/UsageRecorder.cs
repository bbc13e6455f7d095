using Switchboard.Config;
using Switchboard.Providers;

namespace Switchboard.Ledger;

/// <summary>
/// What the host calls once per request: prices the record with the serving config's prices, then hands it to the
/// metrics, the live feed and the ledger's queue. All of it returns at once.
/// </summary>
public sealed class UsageRecorder(
    Func<SwitchboardConfig> config, ProviderRegistry registry, UsageMetrics metrics, LiveFeed live, IUsageRecorder? ledger) : IUsageRecorder
{
    private PriceTable? _prices;

    public void Record(RequestRecord record)
    {
        var priced = Prices().Price(record);
        metrics.Observe(priced);
        live.Publish(priced);
        ledger?.Record(priced);
    }

    /// <summary>The price table of the serving config, rebuilt when a reload swaps the config.</summary>
    public PriceTable Prices()
    {
        var current = config();
        var prices = _prices;
        if (prices is null || !ReferenceEquals(prices.Config, current)) _prices = prices = new PriceTable(current, registry);
        return prices;
    }
}
