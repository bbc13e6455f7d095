using System.Collections.Concurrent;
using Switchboard.Routing;

namespace Switchboard.Forwarding;

/// <summary>
/// Which targets keep failing. After <c>failuresBeforeCooldown</c> failures in a row a target cools down: it is
/// skipped while other targets remain, until the cool-down ends or it succeeds again. A target is any provider and
/// model a request names, so the failing ones are kept for at most <see cref="MaxTargets"/>: past that, the quarter
/// whose cool-down ends first is forgotten (a forgotten target is tried again, which is what its cool-down ending does).
/// </summary>
public sealed class TargetHealth(TimeProvider time)
{
    public const int MaxTargets = 1024;

    private readonly ConcurrentDictionary<ModelTarget, (int Failures, DateTimeOffset Until)> _state = new();

    public int Count => _state.Count;

    /// <summary>
    /// Raised when this replica puts a target into cool-down, with the time it ends; team mode shares it with the other
    /// replicas. Not raised for a cool-down learned from them (<see cref="CoolDownUntil"/>), so nothing echoes.
    /// </summary>
    public event Action<ModelTarget, DateTimeOffset>? CooledDown;

    /// <summary>Adopts a cool-down another replica saw: the target is skipped here too until <paramref name="until"/>.</summary>
    public void CoolDownUntil(ModelTarget target, DateTimeOffset until) =>
        _state.AddOrUpdate(target, _ => (0, until), (_, state) => (state.Failures, state.Until > until ? state.Until : until));

    public bool IsCoolingDown(ModelTarget target) =>
        _state.TryGetValue(target, out var state) && state.Until > time.GetUtcNow();

    public void Succeeded(ModelTarget target) => _state.TryRemove(target, out _);

    public void Failed(ModelTarget target, int failuresBeforeCooldown, TimeSpan cooldown)
    {
        if (_state.Count >= MaxTargets && !_state.ContainsKey(target))
            foreach (var soonest in _state.OrderBy(pair => pair.Value.Until).Take(MaxTargets / 4).ToList()) _state.TryRemove(soonest.Key, out _);
        var now = _state.AddOrUpdate(target,
            _ => (1, failuresBeforeCooldown <= 1 ? time.GetUtcNow() + cooldown : DateTimeOffset.MinValue),
            (_, state) => state.Failures + 1 >= failuresBeforeCooldown
                ? (state.Failures + 1, time.GetUtcNow() + cooldown)
                : (state.Failures + 1, state.Until));
        if (now.Failures >= failuresBeforeCooldown) CooledDown?.Invoke(target, now.Until);
    }
}
