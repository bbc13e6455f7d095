using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Shouldly;
using Switchboard.Hosting;

namespace Switchboard.Tests.Hosting;

/// <summary>When the daemon gives memory back: its clock and its allocation counter are the test's.</summary>
public sealed class IdleHeapTrimTests
{
    private readonly FakeTimeProvider _time = new();
    private long _allocated;
    private readonly IdleHeapTrim _trim;

    public IdleHeapTrimTests() => _trim = new IdleHeapTrim(_time, NullLogger.Instance, () => _allocated);

    private void Burst()
    {
        _trim.Begin();
        _allocated += 2 * IdleHeapTrim.MinAllocated;
        _trim.End();
    }

    [Fact]
    public void TrimIfDue_OnceNothingIsInFlightForTheQuietTime_AfterABurst()
    {
        Burst();

        _time.Advance(IdleHeapTrim.QuietFor - TimeSpan.FromMilliseconds(1));
        _trim.TrimIfDue().ShouldBeFalse("not quiet for long enough yet");
        _time.Advance(TimeSpan.FromMilliseconds(1));
        _trim.TrimIfDue().ShouldBeTrue();
        _trim.TrimIfDue().ShouldBeFalse("nothing was allocated since");
    }

    [Fact]
    public void TrimIfDue_NeverWhileARequestIsInFlight()
    {
        _trim.Begin();
        _allocated += 2 * IdleHeapTrim.MinAllocated;

        _time.Advance(TimeSpan.FromMinutes(10));

        _trim.TrimIfDue().ShouldBeFalse("a stream open for ten minutes is still a request in flight");
        _trim.End();
        _time.Advance(IdleHeapTrim.QuietFor);
        _trim.TrimIfDue().ShouldBeTrue();
    }

    [Fact]
    public void TrimIfDue_NotAfterLittleWasAllocated()
    {
        _trim.Begin();
        _allocated += 1024 * 1024;
        _trim.End();

        _time.Advance(TimeSpan.FromMinutes(1));

        _trim.TrimIfDue().ShouldBeFalse();
    }

    [Fact]
    public void TrimIfDue_AMinuteLater_StillIdle_TrimsOnceMore_ForWhatTheArrayPoolKept()
    {
        Burst();
        _time.Advance(IdleHeapTrim.QuietFor);
        _trim.TrimIfDue().ShouldBeTrue();

        _time.Advance(IdleHeapTrim.FollowUpAfter - TimeSpan.FromSeconds(1));
        _trim.TrimIfDue().ShouldBeFalse();
        _time.Advance(TimeSpan.FromSeconds(1));
        _trim.TrimIfDue().ShouldBeTrue();
        _time.Advance(IdleHeapTrim.FollowUpAfter * 3);
        _trim.TrimIfDue().ShouldBeFalse("the follow-up is the last");
        _trim.Trims.ShouldBe(2);
    }

    [Fact]
    public void TrimIfDue_ARequestAfterTheTrim_CancelsTheFollowUp()
    {
        Burst();
        _time.Advance(IdleHeapTrim.QuietFor);
        _trim.TrimIfDue().ShouldBeTrue();

        _trim.Begin();
        _trim.End();
        _time.Advance(IdleHeapTrim.FollowUpAfter);

        _trim.TrimIfDue().ShouldBeFalse("a request came since: the next burst's own trim will do");
    }
}
