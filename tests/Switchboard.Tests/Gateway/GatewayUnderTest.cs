using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using Shouldly;
using Switchboard.Team;
using Switchboard.Tests.Infrastructure;
using Switchboard.Tests.Infrastructure.Engines;
using static Switchboard.Tests.Infrastructure.AnthropicWire;

namespace Switchboard.Tests.Gateway;

/// <summary>
/// A team gateway for the sign-in tests: a migrated database of its own, a member with a local password, a scripted
/// Anthropic upstream, and one replica (more start from <see cref="Config"/>) on a fake clock that starts now.
/// </summary>
internal sealed class GatewayUnderTest : IAsyncDisposable
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public required ScriptedUpstream Upstream { get; init; }
    public required NpgsqlDataSource Database { get; init; }
    public required RunningSwitchboard Replica { get; init; }
    public required string Config { get; init; }
    public required Guid UserId { get; init; }
    public required FakeTimeProvider Time { get; init; }

    public static async Task<GatewayUnderTest> StartAsync(PostgresServer postgres, RedisServer redis, int keyCacheSeconds = 30,
        int accessTokenMinutes = 60, int signInAttemptsPerMinute = 1000, string extraTopLevel = "", string providerExtra = "",
        string teamExtra = "")
    {
        var upstream = await ScriptedUpstream.StartAsync((context, _) => WriteJsonAsync(context, TextMessage("claude-sonnet-4-5", "hello")));
        var connection = await postgres.CreateDatabaseAsync();
        var database = TeamDatabase.Create(connection);
        await TeamSchema.MigrateAsync(database, Cancel);
        var user = await new TeamUsers(database).CreateAsync(GatewaySignInTests.Email, "Ada", TeamUser.Member, "config", Cancel);
        await new LocalAccounts(database).SetPasswordAsync(user.Id, GatewaySignInTests.Password, "config", Cancel);
        var config = $$"""
            {
              {{extraTopLevel}}
              "defaultProvider": "anthropic",
              "providers": { "anthropic": { "type": "anthropic", "baseUrl": "{{upstream.BaseUrl}}", "apiKey": "{{GatewaySignInTests.GatewayKey}}" {{providerExtra}} } },
              "team": {
                "postgres": "{{connection}}", "redis": "{{redis.Url}}", "publicUrl": "https://switchboard.example.com",
                "keyCacheSeconds": {{keyCacheSeconds}}, "accessTokenMinutes": {{accessTokenMinutes}},
                "signInAttemptsPerMinute": {{signInAttemptsPerMinute}} {{teamExtra}}
              }
            }
            """;
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var replica = await RunningSwitchboard.StartAsync(config, options => options with { Time = time });
        return new GatewayUnderTest { Upstream = upstream, Database = database, Replica = replica, Config = config, UserId = user.Id, Time = time };
    }

    public async ValueTask DisposeAsync()
    {
        await Replica.DisposeAsync();
        await Upstream.DisposeAsync();
        await Database.DisposeAsync();
    }
}

internal static class GatewayAssertions
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public static async Task<JsonElement> ShouldBeJsonAsync(this HttpResponseMessage response, HttpStatusCode status)
    {
        var text = await response.Content.ReadAsStringAsync(Cancel);
        response.StatusCode.ShouldBe(status, text);
        response.Content.Headers.ContentType?.MediaType.ShouldBe("application/json");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>A Messages request with <paramref name="bearer"/>: the status, <c>x-should-retry</c> and the error message if any.</summary>
    public static async Task<(HttpStatusCode Status, string? Retry, string Message)> SendAsync(RunningSwitchboard replica, string bearer)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/messages") { Content = Json(Request(stream: false)) };
        request.Headers.Authorization = new("Bearer", bearer);
        using var response = await replica.Client.SendAsync(request, Cancel);
        var body = await response.Content.ReadAsStringAsync(Cancel);
        var message = response.IsSuccessStatusCode ? "" : JsonDocument.Parse(body).RootElement.GetProperty("error").GetProperty("message").GetString()!;
        return (response.StatusCode, response.Headers.TryGetValues("x-should-retry", out var retry) ? retry.Single() : null, message);
    }
}
