namespace Switchboard.Ledger;

/// <summary>
/// Takes one finished request. Called on the request path, so an implementation must return at once: no I/O,
/// no waiting (the ledger queues, the metrics count, the live feed hands on).
/// </summary>
public interface IUsageRecorder
{
    void Record(RequestRecord record);
}
