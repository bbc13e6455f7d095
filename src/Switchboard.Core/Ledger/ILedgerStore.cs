namespace Switchboard.Ledger;

/// <summary>Where <see cref="LedgerWriter"/> puts records: <see cref="UsageLedger"/>, or a stand-in in tests.</summary>
public interface ILedgerStore
{
    void Append(IReadOnlyCollection<RequestRecord> records);
    int DeleteBefore(DateTimeOffset cutoff);
}
