using Microsoft.Extensions.Time.Testing;
using Shouldly;
using Switchboard.Forwarding;
using Switchboard.Routing;

namespace Switchboard.Tests.Forwarding;

public sealed class TargetHealthTests
{
    [Fact]
    public void CooldownAnnounced_OnlyWhenThisReplicaCoolsATarget_AndOneLearnedFromAnotherEndsOnTime()
    {
        var time = new FakeTimeProvider();
        var health = new TargetHealth(time);
        var announced = new List<(ModelTarget Target, DateTimeOffset Until)>();
        health.CooledDown += (target, until) => announced.Add((target, until));
        var local = new ModelTarget("local", "m");
        var remote = new ModelTarget("remote", "m");

        health.Failed(local, failuresBeforeCooldown: 2, TimeSpan.FromMinutes(1));
        announced.ShouldBeEmpty("one failure of two is no cool-down yet");
        health.Failed(local, failuresBeforeCooldown: 2, TimeSpan.FromMinutes(1));
        health.CoolDownUntil(remote, time.GetUtcNow() + TimeSpan.FromSeconds(30));

        announced.ShouldBe([(local, time.GetUtcNow() + TimeSpan.FromMinutes(1))], "a cool-down learned from another replica is not sent back");
        health.IsCoolingDown(remote).ShouldBeTrue();
        time.Advance(TimeSpan.FromSeconds(31));
        health.IsCoolingDown(remote).ShouldBeFalse();
        health.IsCoolingDown(local).ShouldBeTrue();
    }

    [Fact]
    public void Failed_ForMoreTargetsThanTheBound_KeepsAtMostTheBound_AndTheLatestStillCoolsDown()
    {
        var time = new FakeTimeProvider();
        var health = new TargetHealth(time);

        for (var i = 0; i < TargetHealth.MaxTargets * 3; i++)
        {
            time.Advance(TimeSpan.FromMilliseconds(1));
            health.Failed(new ModelTarget("down", "model-" + i), failuresBeforeCooldown: 1, TimeSpan.FromMinutes(5));
        }

        health.Count.ShouldBeLessThanOrEqualTo(TargetHealth.MaxTargets);
        health.IsCoolingDown(new ModelTarget("down", "model-" + (TargetHealth.MaxTargets * 3 - 1))).ShouldBeTrue();
        health.IsCoolingDown(new ModelTarget("down", "model-0")).ShouldBeFalse("the one whose cool-down ends first was forgotten");
    }

    [Fact]
    public void Failed_AtTheBound_ForAKnownTarget_ForgetsNothing()
    {
        var health = new TargetHealth(new FakeTimeProvider());
        for (var i = 0; i < TargetHealth.MaxTargets; i++)
            health.Failed(new ModelTarget("down", "model-" + i), failuresBeforeCooldown: 1, TimeSpan.FromMinutes(5));

        health.Failed(new ModelTarget("down", "model-0"), failuresBeforeCooldown: 1, TimeSpan.FromMinutes(5));

        health.Count.ShouldBe(TargetHealth.MaxTargets);
    }
}
