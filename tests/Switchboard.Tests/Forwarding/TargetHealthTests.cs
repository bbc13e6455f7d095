using Microsoft.Extensions.Time.Testing;
using Shouldly;
using Switchboard.Forwarding;
using Switchboard.Routing;

namespace Switchboard.Tests.Forwarding;

public sealed class TargetHealthTests
{
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
