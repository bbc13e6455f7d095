namespace Switchboard.Ledger;

/// <summary>
/// Where <see cref="LedgerWriter"/> puts records: <see cref="UsageLedger"/> (the SQLite file), the team ledger in
/// PostgreSQL, or a stand-in in tests. Each record comes with the id the writer gave it when it took it into a batch;
/// a batch sent again after a failure carries the same ids, so a store that keys on them counts it once.
/// </summary>
public interface ILedgerStore
{
    Task AppendAsync(IReadOnlyList<RequestRecord> records, IReadOnlyList<Guid> ids, CancellationToken cancellationToken);

    Task<int> DeleteBeforeAsync(DateTimeOffset cutoff, CancellationToken cancellationToken);
}
