using Shouldly;
using Switchboard.Ledger;
using Switchboard.Team.Ledger;
using Switchboard.Tests.Infrastructure.Engines;
using static Switchboard.Tests.Team.TeamPostgres;

namespace Switchboard.Tests.Team;

/// <summary>Issue 17, item 7: the team ledger in a real PostgreSQL counts a batch sent twice once, and reads it back by caller.</summary>
[Collection(TeamPostgres.Name)]
public sealed class TeamLedgerStoreTests(PostgresServer postgres)
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Write_SameBatchSentTwice_IsCountedOnce_AndTotalsByUserAddUp()
    {
        await using var database = await MigratedDatabaseAsync(postgres);
        var ada = await MemberAsync(database);
        var store = new TeamLedgerStore(database, () => "replica-a");
        var now = DateTimeOffset.UtcNow;
        var records = Enumerable.Range(1, 3).Select(i => new RequestRecord
        {
            Time = now, Provider = "p", Model = "m", RequestedModel = "m", InputTokens = i, Status = 200, UserId = ada.Id, Cost = 0.5,
        }).ToList();
        var ids = records.Select(r => Guid.CreateVersion7(r.Time)).ToList();

        (await store.WriteAsync(records, ids, Cancel)).ShouldBe(3);
        (await store.WriteAsync(records, ids, Cancel)).ShouldBe(0, "a batch sent again after a lost answer adds nothing");

        (await ScalarAsync<long>(database, "SELECT count(*) FROM requests")).ShouldBe(3);
        var byUser = new TeamLedgerReader(database).Totals(now.AddMinutes(-1), now.AddMinutes(1), UsageGrouping.User);
        byUser.ShouldHaveSingleItem().Key.ShouldBe("ada@example.com");
        byUser[0].Requests.ShouldBe(3);
        byUser[0].InputTokens.ShouldBe(6);
        byUser[0].Cost.ShouldBe(1.5);
        new TeamLedgerReader(database).Recent(now.AddMinutes(-1), now.AddMinutes(1), 10)
            .ShouldAllBe(r => r.Replica == "replica-a" && r.UserId == ada.Id);
    }
}
