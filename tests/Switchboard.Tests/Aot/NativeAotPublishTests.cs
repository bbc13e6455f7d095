using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Shouldly;
using Switchboard.Tests.EndToEnd;
using Switchboard.Hosting;
using Switchboard.Team;
using Switchboard.Tests.Infrastructure;
using Switchboard.Tests.Infrastructure.Engines;

namespace Switchboard.Tests.Aot;

/// <summary>
/// The canary System.CommandLine keeps: publish the real executable with Native AOT, fail on any trim or AOT warning,
/// then start the published binary and talk to it. It catches what no in-process test can (a type trimmed away, a
/// serializer that needs reflection, a crash at start).
/// </summary>
[UsesPublishedBinary]
public sealed partial class NativeAotPublishTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Publish_WithNativeAot_HasNoWarningsAndTheBinaryServes()
    {
        using var home = new TempHome();

        // When the executable is published with Native AOT (once per test run, shared with the reliability suite)
        var publish = await PublishedBinary.GetAsync();

        // Then it succeeds without a single trim/AOT analysis warning
        publish.Output.ShouldContain(PublishedBinary.Folder);
        AotWarning().Matches(publish.Output).Select(m => m.Value).ShouldBeEmpty(publish.Output);

        // And the native binary starts and answers like the JIT build does
        var port = TestPorts.Free();
        var binary = publish.Executable;
        var info = new ProcessStartInfo(binary) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { "serve", "--port", port.ToString() }) info.ArgumentList.Add(arg);
        info.Environment["SWITCHBOARD_HOME"] = home.Folder;
        using var server = Process.Start(info)!;
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
            await WaitForHealthAsync(http, server);

            using var bad = await http.PostAsync("/v1/messages", AnthropicWire.Json("{ not json"), Cancel);
            (await bad.ShouldBeAnthropicErrorAsync(HttpStatusCode.BadRequest, "invalid_request_error"))
                .ShouldStartWith("The request body is not valid JSON");
            using var missing = await http.PostAsync("/v1/messages", AnthropicWire.Json("""{"model":"m","messages":[]}"""), Cancel);
            (await missing.ShouldBeAnthropicErrorAsync(HttpStatusCode.BadRequest, "invalid_request_error")).ShouldBe("max_tokens: Field required");

            // And the usage ledger (SQLite through its native library) and the embedded dashboard work natively too
            using var summary = await http.GetAsync("/ui/api/summary?period=30d", Cancel);
            summary.StatusCode.ShouldBe(HttpStatusCode.OK, await summary.Content.ReadAsStringAsync(Cancel));
            (await summary.Content.ReadAsStringAsync(Cancel)).ShouldContain("\"period\":\"30d\"");
            (await http.GetStringAsync("/ui/", Cancel)).ShouldContain("<title>Switchboard</title>");
        }
        finally
        {
            server.Kill(entireProcessTree: true);
        }
    }

    [Fact]
    public async Task PublishedBinary_InTeamMode_MigratesPostgres_AuthenticatesAKey_AndHearsARevocationOnRedis()
    {
        // Given a real PostgreSQL and Redis (Npgsql and StackExchange.Redis must survive trimming and AOT)
        await using var postgres = new PostgresServer();
        await postgres.InitializeAsync();
        await using var redis = new RedisServer { Password = "aot-redis-secret" };
        await redis.InitializeAsync();
        var database = await postgres.CreateDatabaseAsync();
        await using var upstream = await ScriptedUpstream.StartAsync((context, _) =>
            AnthropicWire.WriteJsonAsync(context, AnthropicWire.TextMessage("claude-sonnet-4-5", "hello from upstream")));

        // When the native binary starts with a team section
        await using var replica = await PublishedServer.StartAsync($$"""
            {
              "defaultProvider": "anthropic",
              "providers": { "anthropic": { "type": "anthropic", "baseUrl": "{{upstream.BaseUrl}}", "apiKey": "gateway-key" } },
              "team": { "postgres": "{{database}}", "redis": "{{redis.Url}}", "publicUrl": "https://switchboard.example.com", "keyCacheSeconds": 3600 }
            }
            """);

        // Then it migrated the schema before listening, and /health says both answer
        var health = (await replica.Client.GetFromJsonAsync("/health", HostJson.Default.HealthReport, Cancel))!;
        health.Team.ShouldNotBeNull(replica.Log);
        health.Team.Postgres.ShouldBeTrue(replica.Log);
        health.Team.Redis.ShouldBeTrue(replica.Log);
        health.Team.ConfigHash.ShouldStartWith("sha256:");
        replica.Log.ShouldContain($"at schema version {TeamSchema.LatestVersion} (applied now: ");

        // And a user's key is resolved (Npgsql's array columns under AOT) and the request goes up with the gateway's key
        await using var store = TeamDatabase.Create(database);
        var ada = await new TeamUsers(store).CreateAsync("ada@example.com", "Ada", TeamUser.Member, "test", Cancel);
        var key = await new TeamApiKeys(store).CreateAsync(ada.Id, "aot", ["messages"], null, "test", Cancel);
        await new TeamLimits(store).SetAsync(TeamLimit.User, ada.Id, TeamLimit.SpendUsd, TeamLimit.Month, 100m, Cancel);
        async Task<HttpStatusCode> SendAsync()
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/messages") { Content = AnthropicWire.Json(AnthropicWire.Request(stream: false)) };
            request.Headers.Add("x-api-key", key.Key);
            using var response = await replica.Client.SendAsync(request, Cancel);
            return response.StatusCode;
        }
        (await SendAsync()).ShouldBe(HttpStatusCode.OK, replica.Log);
        upstream.Requests.Single().Header("x-api-key").ShouldBe("gateway-key");

        // And the user's spend cap (numeric columns, the Lua check-and-increment) is reported as Claude Code reads it
        using (var limited = new HttpRequestMessage(HttpMethod.Post, "/v1/messages") { Content = AnthropicWire.Json(AnthropicWire.Request(stream: false)) })
        {
            limited.Headers.Add("x-api-key", key.Key);
            using var response = await replica.Client.SendAsync(limited, Cancel);
            response.Headers.GetValues("anthropic-ratelimit-unified-status").ShouldBe(["allowed"], replica.Log);
        }

        // And a revocation announced on Redis (pub/sub under AOT) stops the key though it is cached for an hour
        await new TeamApiKeys(store).RevokeAsync(key.Info.Id, "test", Cancel);
        await using var announcer = await TeamRedis.ConnectAsync(redis.Url);
        await announcer.GetSubscriber().PublishAsync(TeamInvalidation.Channel, key.Info.Id.ToString("N"));
        await Eventually.WaitAsync(SendAsync, status => status == HttpStatusCode.Unauthorized,
            status => $"the binary to refuse the revoked key (got {status}): {replica.Log}", TimeSpan.FromSeconds(10));
        replica.Log.ShouldNotContain(key.Key);
        replica.EnsureHealthy();
    }

    private static async Task WaitForHealthAsync(HttpClient http, Process server)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (DateTime.UtcNow < deadline)
        {
            if (server.HasExited)
                throw new InvalidOperationException($"the AOT binary exited with {server.ExitCode}: " +
                    await server.StandardError.ReadToEndAsync() + await server.StandardOutput.ReadToEndAsync());
            try
            {
                using var health = await http.GetAsync("/health", Cancel);
                if (health.StatusCode == HttpStatusCode.OK) return;
            }
            catch (HttpRequestException)
            {
            }
            await Task.Delay(50, Cancel);
        }
        throw new TimeoutException("the AOT binary did not answer /health within 20 s");
    }

    /// <summary>Trim (IL2xxx) and AOT (IL3xxx) analysis warnings, however the build reports them.</summary>
    [GeneratedRegex(@"warning IL[23]\d{3}[^\r\n]*")]
    private static partial Regex AotWarning();
}
