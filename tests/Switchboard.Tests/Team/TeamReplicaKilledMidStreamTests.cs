using System.Net;
using System.Text;
using Shouldly;
using Switchboard.Team;
using Switchboard.Tests.Infrastructure;
using Switchboard.Tests.Infrastructure.Engines;
using static Switchboard.Tests.Infrastructure.AnthropicWire;
using static Switchboard.Tests.Team.TeamPostgres;

namespace Switchboard.Tests.Team;

/// <summary>
/// Issue 17: "a replica killed mid-stream: that client gets an error event, the others carry on". Two real replica
/// processes in team mode behind a real HAProxy; one stream open on each (addressed to each replica directly, so
/// which replica holds which stream is not left to the balancer), the upstream holding both open mid-reply.
/// </summary>
[Collection(TeamPostgres.Name)]
public sealed class TeamReplicaKilledMidStreamTests(PostgresServer postgres, RedisServer redis) : IClassFixture<RedisServer>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Sigterm_TheStreamOnThatReplicaEndsWithAnOverloadedErrorEvent_TheOtherFinishes_AndTheTeamKeepsServing()
    {
        await using var world = await World.StartAsync(postgres, redis);
        var doomed = await world.OpenStreamAsync(world.Replicas[0]);
        var survivor = await world.OpenStreamAsync(world.Replicas[1]);

        await world.Replicas[0].TerminateAsync(within: TimeSpan.FromSeconds(30));
        var cut = await doomed.RestAsync();
        world.Release();
        var finished = await survivor.RestAsync();

        // After the grace (1 s), the stream still open ends with the error event Claude Code retries, and nothing claims it finished.
        cut.ShouldContain("event: error");
        cut.ShouldContain("\"overloaded_error\"");
        cut.ShouldNotContain("message_stop");
        finished.ShouldContain("the other replica");
        finished.ShouldContain("message_stop");
        finished.ShouldNotContain("event: error");
        await world.NewRequestThroughHaproxyAsync();
        world.Replicas[1].EnsureHealthy();
    }

    [Fact]
    public async Task Sigkill_TheStreamOnThatReplicaIsCutWithoutAMessageStop_TheOtherFinishes_AndTheTeamKeepsServing()
    {
        await using var world = await World.StartAsync(postgres, redis);
        var doomed = await world.OpenStreamAsync(world.Replicas[0]);
        var survivor = await world.OpenStreamAsync(world.Replicas[1]);

        await world.Replicas[0].KillAsync();
        // A process killed outright can say nothing: the client sees its connection end (or reset) with the reply
        // incomplete, which is what tells Claude Code to ask again.
        var cut = await doomed.RestAsync(tolerateCut: true);
        world.Release();
        var finished = await survivor.RestAsync();

        cut.ShouldNotContain("message_stop");
        finished.ShouldContain("the other replica");
        finished.ShouldContain("message_stop");
        await world.NewRequestThroughHaproxyAsync();
        world.Replicas[1].EnsureHealthy();
    }

    /// <summary>A stream whose first events have arrived; the rest is read on demand.</summary>
    private sealed class OpenStream(HttpResponseMessage response, Stream body, string head)
    {
        public async Task<string> RestAsync(bool tolerateCut = false)
        {
            var text = new StringBuilder(head);
            var buffer = new byte[4096];
            try
            {
                int read;
                while ((read = await body.ReadAsync(buffer, Cancel)) > 0) text.Append(Encoding.UTF8.GetString(buffer, 0, read));
            }
            catch (Exception ex) when (tolerateCut && ex is IOException or HttpRequestException)
            {
                text.Append("\n[cut: ").Append(ex.GetType().Name).Append(']');
            }
            finally
            {
                response.Dispose();
            }
            return text.ToString();
        }
    }

    private sealed class World : IAsyncDisposable
    {
        private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly List<IAsyncDisposable> _owned = [];
        private string _key = "";
        private int _held;

        public List<PublishedServer> Replicas { get; } = [];
        public HaproxyServer Haproxy { get; private set; } = null!;

        public static async Task<World> StartAsync(PostgresServer postgres, RedisServer redis)
        {
            var world = new World();
            try
            {
                var upstream = await ScriptedUpstream.StartAsync(world.AnswerAsync);
                world._owned.Add(upstream);
                var connection = await postgres.CreateDatabaseAsync();
                var database = TeamDatabase.Create(connection);
                world._owned.Add(database);
                await TeamSchema.MigrateAsync(database, Cancel);
                var ada = await MemberAsync(database);
                world._key = (await new TeamApiKeys(database).CreateAsync(ada.Id, "laptop", [], null, "config", Cancel)).Key;
                var config = $$"""
                    {
                      "defaultProvider": "anthropic",
                      "shutdownGraceSeconds": 1,
                      "providers": { "anthropic": { "type": "anthropic", "baseUrl": "{{upstream.BaseUrl}}", "apiKey": "gateway-key" } },
                      "team": { "postgres": "{{connection}}", "redis": "{{redis.Url}}", "publicUrl": "https://switchboard.example.com" }
                    }
                    """;
                world.Replicas.AddRange(await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => PublishedServer.StartBuiltAsync(config, new Dictionary<string, string?>()))));
                world.Haproxy = await HaproxyServer.StartAsync([.. world.Replicas.Select(replica => replica.Port)]);
                await world.Haproxy.WaitForBackendsAsync("UP");
                return world;
            }
            catch
            {
                await world.DisposeAsync();
                throw;
            }
        }

        /// <summary>The first two streams stop mid-reply until <see cref="Release"/>; later requests are answered at once.</summary>
        private async Task AnswerAsync(Microsoft.AspNetCore.Http.HttpContext context, RecordedRequest request)
        {
            if (Interlocked.Increment(ref _held) > 2)
            {
                await WriteSseAsync(context, TextStream("claude-sonnet-4-5", "after the kill"));
                return;
            }
            await WriteSseAsync(context, MessageStart("claude-sonnet-4-5") +
                Event("content_block_start", """{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}""") +
                Event("content_block_delta", """{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Survived "}}"""));
            try
            {
                await _release.Task.WaitAsync(context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                return; // the replica that asked is gone
            }
            // The rest of the same reply (its headers are sent: write the bytes, not a new response).
            await context.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(
                Event("content_block_delta", """{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"the other replica"}}""") +
                Event("content_block_stop", """{"type":"content_block_stop","index":0}""") +
                Event("message_delta", """{"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"output_tokens":5}}""") +
                Event("message_stop", """{"type":"message_stop"}""")));
        }

        public void Release() => _release.TrySetResult();

        /// <summary>Opens a stream on <paramref name="replica"/> and reads until its first text has arrived: it is mid-reply.</summary>
        public async Task<OpenStream> OpenStreamAsync(PublishedServer replica)
        {
            var request = new HttpRequestMessage(HttpMethod.Post, "/v1/messages") { Content = Json(Request(stream: true)) };
            request.Headers.Add("x-api-key", _key);
            var response = await replica.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, Cancel);
            response.StatusCode.ShouldBe(HttpStatusCode.OK);
            var body = await response.Content.ReadAsStreamAsync(Cancel);
            var head = new StringBuilder();
            var buffer = new byte[4096];
            while (!head.ToString().Contains("Survived "))
            {
                var read = await body.ReadAsync(buffer, Cancel);
                if (read == 0) throw new InvalidOperationException("the stream ended before its first text:\n" + head);
                head.Append(Encoding.UTF8.GetString(buffer, 0, read));
            }
            return new OpenStream(response, body, head.ToString());
        }

        /// <summary>Once HAProxy has seen the dead replica go, a new request through it is answered by the live one.</summary>
        public async Task NewRequestThroughHaproxyAsync()
        {
            await Eventually.WaitAsync(Haproxy.BackendStatesAsync, states => states[0].StartsWith("DOWN", StringComparison.Ordinal) && states[1] == "UP",
                states => $"HAProxy marking the stopped replica down (now {string.Join(", ", states)})");
            using var client = new HttpClient { BaseAddress = new Uri(Haproxy.BaseUrl) };
            using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/messages") { Content = Json(Request(stream: true)) };
            request.Headers.Add("x-api-key", _key);
            using var response = await client.SendAsync(request, Cancel);
            var body = await response.Content.ReadAsStringAsync(Cancel);
            response.StatusCode.ShouldBe(HttpStatusCode.OK, body);
            body.ShouldContain("after the kill");
            body.ShouldContain("message_stop");
        }

        public async ValueTask DisposeAsync()
        {
            _release.TrySetResult();
            if (Haproxy is not null) await Haproxy.DisposeAsync();
            foreach (var replica in Replicas) await replica.DisposeAsync();
            foreach (var owned in Enumerable.Reverse(_owned)) await owned.DisposeAsync();
        }
    }
}
