using System.Net;
using Shouldly;
using Switchboard.Team;
using Switchboard.Tests.Infrastructure;
using Switchboard.Tests.Infrastructure.Engines;
using static Switchboard.Tests.Infrastructure.AnthropicWire;
using static Switchboard.Tests.Team.TeamPostgres;

namespace Switchboard.Tests.Team;

/// <summary>
/// Issue 17, item 7: a replica killed outright (SIGKILL: no shutdown, no flush) loses no ledger record of a request it
/// answered, and none is counted twice: each record is in the replica's spool before its reply ends, and the replica
/// started again sends what it finds there with the ids it had. Real replica processes, PostgreSQL and Redis.
/// </summary>
public sealed class TeamLedgerKilledReplicaTests(RedisServer redis) : IClassFixture<RedisServer>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task KilledWhilePostgresIsDown_WithABatchBeingRetried_EveryAnsweredRequestIsStoredOnceAfterTheRestart()
    {
        await using var postgres = new PostgresServer();
        await postgres.InitializeAsync();
        await using var world = await World.StartAsync(postgres, redis);
        await world.SendAsync(3);
        await Eventually.WaitAsync(world.LedgerCountAsync, count => count == 3, count => $"the first 3 requests stored (now {count})");

        await postgres.StopAsync();
        await world.SendAsync(7);
        // The writer is retrying a batch PostgreSQL cannot take: the moment the issue calls "mid-batch".
        await Eventually.WaitAsync(() => world.Replica.Log.Contains("could not be written yet"), "the writer retrying its batch");
        await world.Replica.KillAsync();
        await postgres.StartAsync();
        await world.Replica.StartAgainAsync();

        await Eventually.WaitAsync(world.LedgerCountAsync, count => count >= 10, count => $"all 10 requests stored (now {count})");
        await Eventually.WaitAsync(() => Directory.GetFiles(world.Spool).Length == 0, "the spool emptied once its records were stored");
        (await world.LedgerCountAsync()).ShouldBe(10);
        world.Replica.Log.ShouldContain("sending 7 request(s) an earlier run recorded but did not store");
    }

    [Fact]
    public async Task KilledUnderLoad_WithPostgresUp_TheLedgerHoldsEveryAnsweredRequest_AndNothingTwice()
    {
        await using var postgres = new PostgresServer();
        await postgres.InitializeAsync();
        await using var world = await World.StartAsync(postgres, redis);
        const int clients = 4;
        var answered = 0;
        var killed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        async Task ClientAsync(int client)
        {
            for (var i = 0; !killed.Task.IsCompleted; i++)
            {
                try
                {
                    // Streamed and not, as Claude Code sends both; a reply counts once it has been read to its end.
                    await world.MessageAsync(stream: (client + i) % 2 == 0);
                    Interlocked.Increment(ref answered);
                }
                catch (Exception) when (killed.Task.IsCompleted)
                {
                    return;
                }
            }
        }
        var load = Enumerable.Range(0, clients).Select(client => Task.Run(() => ClientAsync(client), Cancel)).ToArray();
        // Killed at a moment nobody chose: once 60 replies are in, while 4 more are in flight and batches are being written.
        await Eventually.WaitAsync(() => Volatile.Read(ref answered) >= 60, "60 replies before the kill");
        // Set first: from here on a failed request is the kill's doing, and the replies already counted stay counted.
        killed.SetResult();
        await world.Replica.KillAsync();
        await Task.WhenAll(load);
        var answeredBeforeKill = Volatile.Read(ref answered);
        await world.Replica.StartAgainAsync();

        await Eventually.WaitAsync(() => Directory.GetFiles(world.Spool).Length == 0, "the spool emptied once its records were stored");
        var stored = await world.LedgerCountAsync();
        // Every reply a client read to its end is stored; beyond those, at most the ones in flight at the kill whose
        // replica had finished them (recorded) before the client read the last byte. A replay under new ids would
        // add up to a whole segment (hundreds) of rows again and fail this.
        stored.ShouldBeInRange(answeredBeforeKill, answeredBeforeKill + clients);
    }

    /// <summary>One replica process in team mode, a user with a key, and a scripted upstream answering at once.</summary>
    private sealed class World : IAsyncDisposable
    {
        private readonly ScriptedUpstream _upstream;
        private readonly Npgsql.NpgsqlDataSource _database;
        private readonly Guid _user;
        private readonly string _key;

        private World(ScriptedUpstream upstream, Npgsql.NpgsqlDataSource database, Guid user, string key, PublishedServer replica)
        {
            _upstream = upstream;
            _database = database;
            _user = user;
            _key = key;
            Replica = replica;
        }

        public PublishedServer Replica { get; }
        public string Spool => Replica.Home.Home.TeamLedgerSpool;

        public static async Task<World> StartAsync(PostgresServer postgres, RedisServer redis)
        {
            var upstream = await ScriptedUpstream.StartAsync((context, request) => request.BodyText.Contains("\"stream\":true")
                ? WriteSseAsync(context, TextStream("claude-sonnet-4-5", "hello"))
                : WriteJsonAsync(context, TextMessage("claude-sonnet-4-5", "hello")));
            var connection = await postgres.CreateDatabaseAsync();
            var database = TeamDatabase.Create(connection);
            await TeamSchema.MigrateAsync(database, Cancel);
            var ada = await MemberAsync(database);
            var key = (await new TeamApiKeys(database).CreateAsync(ada.Id, "laptop", [], null, "config", Cancel)).Key;
            var replica = await PublishedServer.StartBuiltAsync($$"""
                {
                  "defaultProvider": "anthropic",
                  "providers": { "anthropic": { "type": "anthropic", "baseUrl": "{{upstream.BaseUrl}}", "apiKey": "gateway-key" } },
                  "team": { "postgres": "{{connection}};Timeout=2", "redis": "{{redis.Url}}", "publicUrl": "https://switchboard.example.com", "keyCacheSeconds": 3600 }
                }
                """, new Dictionary<string, string?>());
            return new World(upstream, database, ada.Id, key, replica);
        }

        public async Task SendAsync(int count)
        {
            for (var i = 0; i < count; i++) await MessageAsync(stream: i % 2 == 0);
        }

        /// <summary>One request, its reply read to the end; throws when it fails.</summary>
        public async Task MessageAsync(bool stream)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/messages") { Content = Json(Request(stream: stream)) };
            request.Headers.Add("x-api-key", _key);
            using var response = await Replica.Client.SendAsync(request, Cancel);
            var body = await response.Content.ReadAsStringAsync(Cancel);
            response.StatusCode.ShouldBe(HttpStatusCode.OK, body);
            body.ShouldContain(stream ? "message_stop" : "\"end_turn\"");
        }

        public async Task<long> LedgerCountAsync() => await ScalarAsync<long>(_database, "SELECT count(*) FROM requests WHERE user_id = $1", _user);

        public async ValueTask DisposeAsync()
        {
            await Replica.DisposeAsync();
            await _database.DisposeAsync();
            await _upstream.DisposeAsync();
        }
    }
}
