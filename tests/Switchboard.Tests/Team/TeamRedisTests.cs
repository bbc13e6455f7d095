using System.Net;
using Shouldly;
using Switchboard.Team;
using Switchboard.Tests.Infrastructure;
using Switchboard.Tests.Infrastructure.Engines;

namespace Switchboard.Tests.Team;

/// <summary>Issue 17, item 1: team mode's Redis connection from <c>team.redis</c>, on a real redis-server.</summary>
public sealed class TeamRedisTests
{
    [Fact]
    public void Parse_UrlWithPasswordAndDatabase_SetsEach()
    {
        var options = TeamRedis.Parse("redis://:p%40ss@cache.internal:6380/3");

        TeamRedis.Describe(options).ShouldBe("cache.internal:6380");
        options.Password.ShouldBe("p@ss");
        options.User.ShouldBeNull();
        options.DefaultDatabase.ShouldBe(3);
        options.Ssl.ShouldBeFalse();
    }

    [Fact]
    public void Parse_TlsUrlWithUserAndNoPort_UsesTheDefaultPort()
    {
        var options = TeamRedis.Parse("rediss://gateway:pw@cache");

        TeamRedis.Describe(options).ShouldBe("cache:6379");
        options.User.ShouldBe("gateway");
        options.Ssl.ShouldBeTrue();
    }

    [Fact]
    public void Parse_ClientConfigurationString_IsAcceptedToo()
    {
        var options = TeamRedis.Parse("127.0.0.1:7000,password=pw");

        options.EndPoints.Single().ShouldBe(new IPEndPoint(IPAddress.Loopback, 7000));
        options.Password.ShouldBe("pw");
    }

    [Theory]
    [InlineData("http://:hunter2-secret@cache:6379", "team.redis is not a Redis URL (scheme 'http')")]
    [InlineData("redis://:hunter2-secret@cache:6379/zero", "team.redis names database 'zero', which is not a number")]
    [InlineData("cache:6379,password=hunter2-secret,nonsense=1", "team.redis is neither a redis:// URL nor a StackExchange.Redis configuration string")]
    public void Parse_WrongAddress_SaysWhatToFix_WithoutThePassword(string address, string expected)
    {
        var refused = Should.Throw<TeamStoreException>(() => TeamRedis.Parse(address));

        refused.Message.ShouldStartWith(expected);
        refused.Message.ShouldContain("redis://");
        refused.Message.ShouldNotContain("hunter2-secret");
    }

    [Fact]
    public async Task Connect_WithThePasswordInTheUrl_Answers()
    {
        await using var redis = new RedisServer { Password = "hunter2-secret" };
        await redis.InitializeAsync();

        await using var connection = await TeamRedis.ConnectAsync(redis.Url);

        connection.IsConnected.ShouldBeTrue();
        (await connection.GetDatabase().PingAsync()).ShouldBeGreaterThan(TimeSpan.Zero);
    }

    [Fact]
    public async Task Connect_RedisDown_ReturnsAConnectionThatRecoversWhenRedisComesBack()
    {
        await using var redis = new RedisServer();
        await redis.InitializeAsync();
        await redis.StopAsync();

        await using var connection = await TeamRedis.ConnectAsync(redis.Url);
        connection.IsConnected.ShouldBeFalse();
        await redis.StartAsync();

        await Eventually.WaitAsync(() => connection.IsConnected, "the connection to come back after Redis started", TimeSpan.FromSeconds(30));
        (await connection.GetDatabase().PingAsync()).ShouldBeGreaterThan(TimeSpan.Zero);
    }
}
