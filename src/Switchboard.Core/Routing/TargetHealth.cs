using System.Collections.Concurrent;

namespace Switchboard.Routing;

/// <summary>
/// Which targets keep failing. After <c>failuresBeforeCooldown</c> failures in a row a target cools down: it is
/// skipped while other targets remain, until the cool-down ends or it succeeds again.
/// </summary>
public sealed class TargetHealth(TimeProvider time)
{
    private readonly ConcurrentDictionary<ModelTarget, (int Failures, DateTimeOffset Until)> _state = new();

    public bool IsCoolingDown(ModelTarget target) =>
        _state.TryGetValue(target, out var state) && state.Until > time.GetUtcNow();

    public void Succeeded(ModelTarget target) => _state.TryRemove(target, out _);

    public void Failed(ModelTarget target, int failuresBeforeCooldown, TimeSpan cooldown) =>
        _state.AddOrUpdate(target,
            _ => (1, failuresBeforeCooldown <= 1 ? time.GetUtcNow() + cooldown : DateTimeOffset.MinValue),
            (_, state) => state.Failures + 1 >= failuresBeforeCooldown
                ? (state.Failures + 1, time.GetUtcNow() + cooldown)
                : (state.Failures + 1, state.Until));
}
