using Shouldly;
using Switchboard.Team;
using Xunit;

namespace Switchboard.Tests.Team;

/// <summary>How a cap's standing is graded for Claude Code's usage meter and notices (no engines needed: pure arithmetic).</summary>
public sealed class SpendStandingTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 3, 12, 0, 0, TimeSpan.Zero);

    private static SpendStanding Standing(long usedMicros) =>
        new(new TeamLimit(Guid.NewGuid(), TeamLimit.User, Guid.NewGuid(), TeamLimit.SpendUsd, TeamLimit.Day, 10m),
            usedMicros, SpendPeriod.Of(TeamLimit.Day, Now), null);

    [Theory]
    [InlineData(0, "normal", null)]
    [InlineData(7_500_000, "normal", "0.75")]
    [InlineData(7_500_001, "warning", "0.75")]
    [InlineData(9_500_000, "warning", "0.95")]
    [InlineData(9_500_001, "critical", "0.95")]
    [InlineData(10_000_000, "critical", "0.95")]
    [InlineData(12_000_000, "critical", "0.95")]
    public void Severity_FollowsTheGatewayGrading_AndTheNoticeThresholds(long usedMicros, string severity, string? threshold)
    {
        var standing = Standing(usedMicros);

        standing.Severity.ShouldBe(severity);
        standing.SurpassedThreshold.ShouldBe(threshold);
    }
}
