using Switchboard.Config;

namespace Switchboard.Team;

/// <summary>
/// What a group's members may use and where their requests go (the <c>groups</c> row beyond its name). Allowlists are
/// globs: <see cref="AllowedProviders"/> over provider names, <see cref="AllowedModels"/> over the model or the whole
/// <c>provider:model</c> target; an empty list allows everything. <see cref="Routes"/> and <see cref="Rules"/> are in
/// the config file's shape and replace the config's for the group's members; <see cref="DefaultModel"/> (a target)
/// replaces the config's <c>modelMap</c>, <c>bigModel</c>/<c>smallModel</c> and <c>routes.default</c>.
/// </summary>
internal sealed record GroupPolicy
{
    public static readonly GroupPolicy Open = new();

    public IReadOnlyList<string> AllowedProviders { get; init; } = [];
    public IReadOnlyList<string> AllowedModels { get; init; } = [];
    public string? DefaultModel { get; init; }
    public RoutesConfig? Routes { get; init; }
    public List<RouteRule>? Rules { get; init; }

    /// <summary>Whether the policy changes routing at all (an allowlist alone does not).</summary>
    public bool ChangesRouting => Routes is not null || Rules is not null || DefaultModel is not null;

    /// <summary>
    /// What is wrong with the policy against <paramref name="config"/>, checked by the config file's own routing
    /// validator (every target names a configured provider, duties exist, token bounds make sense); empty when fine.
    /// </summary>
    public IReadOnlyList<string> Problems(SwitchboardConfig config)
    {
        var problems = new List<string>();
        var own = config with { Routes = Routes, Rules = Rules, ModelMap = null, BigModel = null, SmallModel = null };
        RoutingValidator.Validate(own, (path, problem) =>
        {
            if (path.StartsWith("$.routes", StringComparison.Ordinal) || path.StartsWith("$.rules", StringComparison.Ordinal))
                problems.Add($"{path}: {problem}");
        });
        if (DefaultModel is { } model && RoutingValidator.TargetProblem(model, config) is { } modelProblem)
            problems.Add($"defaultModel: {modelProblem}");
        foreach (var (name, globs) in new[] { ("allowedProviders", AllowedProviders), ("allowedModels", AllowedModels) })
            if (globs.Any(string.IsNullOrWhiteSpace)) problems.Add($"{name}: a glob may not be empty");
        return problems;
    }
}
