using Shouldly;
using Switchboard.Config;
using Switchboard.Providers;

namespace Switchboard.Tests.Team;

/// <summary>Issue 17, item 1: the <c>team</c> section of the config switches team mode on, and says what it lacks.</summary>
public sealed class TeamConfigTests
{
    private const string File = "/home/u/.switchboard/config.json";
    private static readonly ProviderRegistry Registry = ProviderRegistry.CreateDefault(new UpstreamClient());

    [Fact]
    public void Team_Absent_IsTheSingleUserRouter()
    {
        var (config, errors) = ConfigLoader.Parse("""{ "providers": { "anthropic": { "type": "anthropic" } } }""", File, Registry);

        errors.ShouldBeEmpty();
        config!.Team.ShouldBeNull();
    }

    [Fact]
    public void Team_Complete_IsRead()
    {
        var (config, errors) = ConfigLoader.Parse("""
            { "providers": { "anthropic": { "type": "anthropic" } },
              "team": { "postgres": "$TEAM_PG", "redis": "redis://127.0.0.1:6379", "publicUrl": "https://gw.example.com" } }
            """, File, Registry);

        errors.ShouldBeEmpty();
        config!.Team.ShouldBe(new TeamConfig { Postgres = "$TEAM_PG", Redis = "redis://127.0.0.1:6379", PublicUrl = "https://gw.example.com" });
    }

    [Fact]
    public void Team_Empty_NamesEachMissingPartAndAnExample()
    {
        var (_, errors) = ConfigLoader.Parse("""
            { "providers": { "anthropic": { "type": "anthropic" } }, "team": { "publicUrl": "gw.example.com" } }
            """, File, Registry);

        errors.Select(e => e.JsonPath).ShouldBe(["$.team.postgres", "$.team.redis", "$.team.publicUrl"], ignoreOrder: true);
        errors.Single(e => e.JsonPath == "$.team.postgres").Problem.ShouldContain("Host=db;Database=switchboard");
        errors.Single(e => e.JsonPath == "$.team.redis").Problem.ShouldContain("redis://127.0.0.1:6379");
        errors.Single(e => e.JsonPath == "$.team.publicUrl").Problem.ShouldContain("https://switchboard.example.com");
    }

    [Theory]
    [InlineData(null, "refuse")]
    [InlineData("\"allow\"", "allow")]
    public void Team_WhenRedisDown_DefaultsToRefuse_AndReadsAllow(string? written, string expected)
    {
        var (config, errors) = ConfigLoader.Parse($$"""
            { "providers": { "anthropic": { "type": "anthropic" } },
              "team": { "postgres": "$TEAM_PG", "redis": "redis://127.0.0.1:6379", "publicUrl": "https://gw.example.com"
                        {{(written is null ? "" : $", \"whenRedisDown\": {written}")}} } }
            """, File, Registry);

        errors.ShouldBeEmpty();
        config!.Team!.WhenRedisDown.ShouldBe(expected);
    }

    [Fact]
    public void Team_WhenRedisDown_Misspelt_SaysWhatItMayBe()
    {
        var (_, errors) = ConfigLoader.Parse("""
            { "providers": { "anthropic": { "type": "anthropic" } },
              "team": { "postgres": "$TEAM_PG", "redis": "redis://127.0.0.1:6379", "publicUrl": "https://gw.example.com", "whenRedisDown": "open" } }
            """, File, Registry);

        errors.Single().JsonPath.ShouldBe("$.team.whenRedisDown");
        errors.Single().Problem.ShouldContain("must be \"refuse\"");
        errors.Single().Problem.ShouldContain("\"allow\"");
    }
}
