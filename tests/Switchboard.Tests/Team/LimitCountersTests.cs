using Npgsql;
using Shouldly;
using StackExchange.Redis;
using Switchboard.Team;
using Switchboard.Tests.Infrastructure;
using Switchboard.Tests.Infrastructure.Engines;
using static Switchboard.Tests.Team.TeamPostgres;

namespace Switchboard.Tests.Team;

/// <summary>
/// Issue 17, item 5: the limits' counters in a real Redis, shared by replicas (here, one connection each), checked and
/// counted in one Lua step; a spend counter Redis lost is rebuilt from the ledger in a real PostgreSQL.
/// </summary>
[Collection(TeamPostgres.Name)]
public sealed class LimitCountersTests(PostgresServer postgres, RedisServer redis) : IClassFixture<RedisServer>
{
    private static readonly DateTimeOffset Now = new(2026, 12, 3, 15, 30, 20, TimeSpan.Zero);
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ParallelAdmits_FromThreeReplicas_AgainstARequestCapOfTen_AdmitExactlyTen()
    {
        await using var database = await MigratedDatabaseAsync(postgres);
        var replicas = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => TeamRedis.ConnectAsync(redis.Url)));
        try
        {
            var limit = Limit(TeamLimit.RequestsPerMinute, null, 10);
            var counters = replicas.Select(connection => new LimitCounters(connection, new TeamSpendLedger(database))).ToArray();

            var admissions = await Task.WhenAll(Enumerable.Range(0, 60).Select(i =>
                Task.Run(() => counters[i % 3].AdmitAsync([limit], Guid.NewGuid(), Now, Cancel))));

            admissions.Count(admission => admission.Admitted).ShouldBe(10);
            admissions.Where(admission => !admission.Admitted).ShouldAllBe(admission => admission.Used[0] == 10);
            (await counters[0].AdmitAsync([limit], Guid.NewGuid(), Now.AddMinutes(1), Cancel)).Admitted.ShouldBeTrue("the next minute is a new window");
        }
        finally
        {
            foreach (var connection in replicas) await connection.DisposeAsync();
        }
    }

    [Fact]
    public async Task ARefusedRequest_CountsAgainstNothing()
    {
        await using var database = await MigratedDatabaseAsync(postgres);
        await using var connection = await TeamRedis.ConnectAsync(redis.Url);
        var counters = new LimitCounters(connection, new TeamSpendLedger(database));
        var rate = Limit(TeamLimit.RequestsPerMinute, null, 5);
        var slots = Limit(TeamLimit.ConcurrentRequests, null, 1);

        (await counters.AdmitAsync([rate, slots], Guid.NewGuid(), Now, Cancel)).Admitted.ShouldBeTrue();
        var refused = await counters.AdmitAsync([rate, slots], Guid.NewGuid(), Now, Cancel);

        refused.Admitted.ShouldBeFalse();
        refused.Used.ShouldBe([1, 1], "the concurrency slot was full, so the request-rate window was not counted either");
    }

    [Fact]
    public async Task ConcurrencySlot_IsFreedBySettling_AndAKilledReplicasSlot_ComesBackAfterItsLease()
    {
        await using var database = await MigratedDatabaseAsync(postgres);
        await using var connection = await TeamRedis.ConnectAsync(redis.Url);
        var counters = new LimitCounters(connection, new TeamSpendLedger(database));
        var slots = Limit(TeamLimit.ConcurrentRequests, null, 2);

        var first = await counters.AdmitAsync([slots], Guid.NewGuid(), Now, Cancel);
        var second = await counters.AdmitAsync([slots], Guid.NewGuid(), Now, Cancel);
        (await counters.AdmitAsync([slots], Guid.NewGuid(), Now, Cancel)).Admitted.ShouldBeFalse("two are in flight");

        await counters.SettleAsync(first, 0, 0, Now);
        (await counters.AdmitAsync([slots], Guid.NewGuid(), Now, Cancel)).Admitted.ShouldBeTrue("the settled request freed its slot");
        (await counters.AdmitAsync([slots], Guid.NewGuid(), Now, Cancel)).Admitted.ShouldBeFalse();

        // The second and third never settle (their replica died): past the lease their slots are counted no more.
        var later = Now + LimitCounters.SlotLease + TimeSpan.FromSeconds(1);
        (await counters.AdmitAsync([slots], Guid.NewGuid(), later, Cancel)).Used.ShouldBe([0]);
        second.Admitted.ShouldBeTrue();
    }

    [Fact]
    public async Task SpendCap_AdmitsWhileBelow_ThenRefuses_OnceTheChargesReachIt()
    {
        await using var database = await MigratedDatabaseAsync(postgres);
        await using var connection = await TeamRedis.ConnectAsync(redis.Url);
        var counters = new LimitCounters(connection, new TeamSpendLedger(database));
        var cap = Limit(TeamLimit.SpendUsd, TeamLimit.Day, 1.00m);

        var first = await counters.AdmitAsync([cap], Guid.NewGuid(), Now, Cancel);
        await counters.SettleAsync(first, 100, 0.60m, Now);
        var second = await counters.AdmitAsync([cap], Guid.NewGuid(), Now, Cancel);
        second.Admitted.ShouldBeTrue();
        second.Used.ShouldBe([600_000]);
        await counters.SettleAsync(second, 100, 0.45m, Now);

        var third = await counters.AdmitAsync([cap], Guid.NewGuid(), Now, Cancel);
        third.Admitted.ShouldBeFalse();
        third.Used.ShouldBe([1_050_000], "one request in flight at the cap ran past it, and no more");
        (await counters.AdmitAsync([cap], Guid.NewGuid(), Now.AddDays(1).Date, Cancel)).Admitted.ShouldBeTrue("a new UTC day is a new budget");
    }

    [Fact]
    public async Task SpendCounter_RedisRestartedEmpty_IsRebuiltFromTheLedger_BeforeItIsTrusted()
    {
        await using var ownRedis = new RedisServer();
        await ownRedis.InitializeAsync();
        await using var database = await MigratedDatabaseAsync(postgres);
        var user = await MemberAsync(database);
        var cap = new TeamLimit(Guid.NewGuid(), TeamLimit.User, user.Id, TeamLimit.SpendUsd, TeamLimit.Month, 10m);
        await LedgerRowAsync(database, user.Id, Now.AddDays(-2), 4.25);
        await LedgerRowAsync(database, user.Id, Now.AddHours(-1), 0.75);
        await LedgerRowAsync(database, user.Id, new DateTimeOffset(2026, 11, 30, 23, 0, 0, TimeSpan.Zero), 100, "last month's spend does not count");
        await using (var connection = await TeamRedis.ConnectAsync(ownRedis.Url))
        {
            var counters = new LimitCounters(connection, new TeamSpendLedger(database));
            (await counters.AdmitAsync([cap], Guid.NewGuid(), Now, Cancel)).Used.ShouldBe([5_000_000], "built from the ledger on first use");
        }

        await ownRedis.StopAsync();
        await ownRedis.StartAsync();
        await LedgerRowAsync(database, user.Id, Now.AddMinutes(-5), 5.00, "written while Redis was away");
        await using (var connection = await TeamRedis.ConnectAsync(ownRedis.Url))
        {
            var counters = new LimitCounters(connection, new TeamSpendLedger(database));
            var admission = await counters.AdmitAsync([cap], Guid.NewGuid(), Now, Cancel);
            admission.Used.ShouldBe([10_000_000]);
            admission.Admitted.ShouldBeFalse("the rebuilt counter says the cap is reached");
        }
    }

    [Fact]
    public async Task RedisDown_AdmitSaysTheCountersAreUnreadable_WithoutWaiting()
    {
        await using var ownRedis = new RedisServer();
        await ownRedis.InitializeAsync();
        await using var database = await MigratedDatabaseAsync(postgres);
        await using var connection = await TeamRedis.ConnectAsync(ownRedis.Url);
        var counters = new LimitCounters(connection, new TeamSpendLedger(database));
        await ownRedis.StopAsync();
        await Eventually.WaitAsync(() => !connection.IsConnected, "the client to notice Redis is gone", TimeSpan.FromSeconds(30));

        await Should.ThrowAsync<LimitsUnreadableException>(() => counters.AdmitAsync([Limit(TeamLimit.RequestsPerMinute, null, 5)], Guid.NewGuid(), Now, Cancel));
    }

    private static TeamLimit Limit(string kind, string? period, decimal amount) =>
        new(Guid.NewGuid(), TeamLimit.User, Guid.NewGuid(), kind, period, amount);

    internal static Task LedgerRowAsync(NpgsqlDataSource database, Guid userId, DateTimeOffset time, double cost, string why = "") => ExecuteAsync(database, """
        INSERT INTO requests (id, time, replica, user_id, duty, provider, model, requested_model, input_tokens, output_tokens,
          cache_read_tokens, cache_write_tokens, latency_ms, status, fallbacks, streamed, cost)
        VALUES ($1, $2, 'test', $3, 'default', 'anthropic', 'claude-sonnet-4-5', 'claude-sonnet-4-5', 1, 1, 0, 0, 1, 200, 0, false, $4)
        """, Guid.NewGuid(), time.UtcDateTime, userId, cost);
}
