using Shouldly;
using StackExchange.Redis;
using Switchboard.Tests.Infrastructure.Engines;

namespace Switchboard.Tests.Team;

/// <summary>The Redis fixture really runs Debian's redis-server: a client talks to it, and it comes back on the same port.</summary>
public sealed class RedisServerTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Start_AnswersPingAndKeepsAValue()
    {
        await using var redis = new RedisServer();
        await redis.InitializeAsync();

        await using var client = await ConnectionMultiplexer.ConnectAsync($"127.0.0.1:{redis.Port},allowAdmin=true");
        var db = client.GetDatabase();

        (await db.PingAsync()).ShouldBeGreaterThan(TimeSpan.Zero);
        await db.StringSetAsync("greeting", "hello");
        ((string?)await db.StringGetAsync("greeting")).ShouldBe("hello");
        var settings = await client.GetServer(client.GetEndPoints().Single()).ConfigGetAsync("*");
        settings.Single(s => s.Key == "bind").Value.ShouldBe("127.0.0.1", "loopback only");
        settings.Single(s => s.Key == "save").Value.ShouldBe("", "nothing saved to disk unless asked");
    }

    [Fact]
    public async Task StopThenStart_RefusesConnectionsInBetween_AndComesBackOnTheSamePort()
    {
        await using var redis = new RedisServer { Persistent = true };
        await redis.InitializeAsync();
        await using (var before = await ConnectionMultiplexer.ConnectAsync($"127.0.0.1:{redis.Port}"))
            await before.GetDatabase().StringSetAsync("kept", "across a restart");

        await redis.StopAsync();
        redis.IsRunning.ShouldBeFalse();
        await Should.ThrowAsync<RedisConnectionException>(() => ConnectionMultiplexer.ConnectAsync($"127.0.0.1:{redis.Port},connectTimeout=1000"));
        await redis.StartAsync();

        await using var after = await ConnectionMultiplexer.ConnectAsync($"127.0.0.1:{redis.Port}");
        ((string?)await after.GetDatabase().StringGetAsync("kept")).ShouldBe("across a restart", "persistence was asked for");
    }

    [Fact]
    public async Task Password_IsRequired()
    {
        await using var redis = new RedisServer { Password = "s3cret-redis" };
        await redis.InitializeAsync();

        await using var anonymous = await ConnectionMultiplexer.ConnectAsync($"127.0.0.1:{redis.Port},abortConnect=false,connectTimeout=2000");
        await Should.ThrowAsync<RedisException>(() => anonymous.GetDatabase().PingAsync());
        await using var signedIn = await ConnectionMultiplexer.ConnectAsync($"127.0.0.1:{redis.Port},password=s3cret-redis");
        (await signedIn.GetDatabase().PingAsync()).ShouldBeGreaterThan(TimeSpan.Zero);
    }
}
