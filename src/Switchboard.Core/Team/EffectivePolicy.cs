using Switchboard.Anthropic;
using Switchboard.Config;
using Switchboard.Routing;

namespace Switchboard.Team;

/// <summary>
/// What the union of a user's groups allows, and the config their requests are routed with, built once per policy
/// or config change (see <see cref="GroupPolicyCache"/>), never per request. A target is allowed when any one group
/// allows both its provider and its model. Routing settings come from the first group, by name, that sets each one
/// (routes, rules, default model); what no group sets stays the config's.
/// </summary>
internal sealed class EffectivePolicy
{
    private readonly IReadOnlyList<(string Name, GroupPolicy Policy)> _groups;
    private readonly bool _allowsEverything;

    private EffectivePolicy(IReadOnlyList<(string Name, GroupPolicy Policy)> groups, SwitchboardConfig config)
    {
        _groups = groups;
        _allowsEverything = groups.Any(group => group.Policy.AllowedProviders.Count == 0 && group.Policy.AllowedModels.Count == 0);
        Config = config;
    }

    /// <summary>The config routing uses for these groups' members.</summary>
    public SwitchboardConfig Config { get; }

    /// <summary>The policy of <paramref name="groups"/> (name order) over <paramref name="config"/>; null for a user in no group, who follows the config.</summary>
    public static EffectivePolicy? Build(IReadOnlyList<(string Name, GroupPolicy Policy)> groups, SwitchboardConfig config)
    {
        if (groups.Count == 0) return null;
        var routes = groups.Select(group => group.Policy.Routes).FirstOrDefault(routes => routes is not null) ?? config.Routes;
        var rules = groups.Select(group => group.Policy.Rules).FirstOrDefault(rules => rules is not null) ?? config.Rules;
        var effective = config with { Routes = routes, Rules = rules };
        if (groups.Select(group => group.Policy.DefaultModel).FirstOrDefault(model => model is not null) is { } model)
            effective = effective with
            {
                ModelMap = null, BigModel = null, SmallModel = null,
                Routes = (routes ?? new RoutesConfig()) with { Default = new TargetList { Targets = [model] } },
            };
        return new EffectivePolicy(groups, effective);
    }

    public bool Allows(ModelTarget target) => _allowsEverything || _groups.Any(group => Allows(group.Policy, target));

    /// <summary>
    /// The decision with the targets these groups may not use taken out (a denied fallback is skipped, not tried);
    /// when none is left, a 400 saying what the groups may use.
    /// </summary>
    public RouteDecision Restrict(RouteDecision decision)
    {
        if (_allowsEverything || decision.Targets.All(Allows)) return decision;
        var allowed = decision.Targets.Where(Allows).ToList();
        if (allowed.Count > 0) return decision with { Targets = allowed };
        throw new AnthropicErrorException(AnthropicError.InvalidRequest(
            $"{Names(decision.Targets)} {(decision.Targets.Count == 1 ? "is" : "are")} not allowed for your groups. {Describe()}; " +
            "ask a gateway admin to change the group's policy, or choose an allowed model."));
    }

    private static bool Allows(GroupPolicy policy, ModelTarget target) =>
        (policy.AllowedProviders.Count == 0 || policy.AllowedProviders.Any(glob => Glob.IsMatch(glob, target.Provider))) &&
        (policy.AllowedModels.Count == 0 || policy.AllowedModels.Any(glob => Glob.IsMatch(glob, target.Model) || Glob.IsMatch(glob, target.ToString())));

    private static string Names(IReadOnlyList<ModelTarget> targets) => string.Join(", ", targets.Select(target => $"'{target}'"));

    private string Describe() => string.Join("; ", _groups.Select(group =>
        $"Group {group.Name} may use providers {List(group.Policy.AllowedProviders)} and models {List(group.Policy.AllowedModels)}"));

    private static string List(IReadOnlyList<string> globs) => globs.Count == 0 ? "(any)" : string.Join(", ", globs);
}
