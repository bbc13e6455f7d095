using Switchboard.Routing;

namespace Switchboard.Config;

/// <summary>The routing half of config checking: every target names a configured provider, every duty exists.</summary>
internal static class RoutingValidator
{
    public static void Validate(SwitchboardConfig config, Action<string, string> add)
    {
        void Targets(string path, TargetList? list)
        {
            if (list is null) return;
            for (var i = 0; i < list.Targets.Count; i++)
                if (TargetProblem(list.Targets[i], config) is { } problem)
                    add(list.Targets.Count == 1 ? path : $"{path}[{i}]", problem);
        }

        foreach (var duty in Duties.All) Targets($"$.routes.{duty}", config.Routes?.For(duty));
        for (var i = 0; i < (config.Rules?.Count ?? 0); i++)
        {
            var rule = config.Rules![i];
            Targets($"$.rules[{i}].to", rule.To);
            foreach (var duty in rule.When.Duty ?? [])
                if (!Duties.All.Contains(duty)) add($"$.rules[{i}].when.duty", UnknownDuty(duty));
            if (rule.When is { MinTokens: { } min, MaxTokens: { } max } && min > max)
                add($"$.rules[{i}].when", $"minTokens ({min}) is above maxTokens ({max}), so the rule can never match");
        }
        foreach (var (glob, target) in config.ModelMap ?? [])
            if (TargetProblem(target, config) is { } problem) add($"$.modelMap.{glob}", problem);
        if (config.BigModel is { } big && TargetProblem(big, config) is { } bigProblem) add("$.bigModel", bigProblem);
        if (config.SmallModel is { } small && TargetProblem(small, config) is { } smallProblem) add("$.smallModel", smallProblem);
        foreach (var duty in config.DutyOrder ?? [])
            if (!Duties.All.Contains(duty)) add("$.dutyOrder", UnknownDuty(duty));
        var claudeCode = config.ClaudeCode;
        if (claudeCode.Bridge is not (ClaudeCodeConfig.Conservative or ClaudeCodeConfig.Aggressive or ClaudeCodeConfig.Off))
            add("$.claudeCode.bridge", $"'{claudeCode.Bridge}' is not a bridge mode; use conservative, aggressive or off");
        foreach (var (slot, target) in new[] { ("opus", claudeCode.Slots?.Opus), ("sonnet", claudeCode.Slots?.Sonnet), ("haiku", claudeCode.Slots?.Haiku),
                     ("custom", claudeCode.Slots?.Custom), ("internalClassifierModel", claudeCode.InternalClassifierModel) })
            if (target is not null && TargetProblem(target, config) is { } slotProblem)
                add(slot == "internalClassifierModel" ? "$.claudeCode.internalClassifierModel" : $"$.claudeCode.slots.{slot}", slotProblem);
        if (config.SubagentModel is { } subagent && subagent.Contains(':') && TargetProblem(subagent, config) is { } subagentProblem)
            add("$.subagentModel", subagentProblem);
        if (config.LongContextThreshold < 1) add("$.longContextThreshold", "must be at least 1 token");
        if (config.Retry.Attempts is < 0 or > 10) add("$.retry.attempts", "must be between 0 and 10");
        if (config.Retry.BackoffMs < 0 || config.Retry.MaxBackoffMs < config.Retry.BackoffMs)
            add("$.retry", "backoffMs must be at least 0 and no more than maxBackoffMs");
    }

    /// <summary>Why a target string cannot be routed to, or null when it can.</summary>
    public static string? TargetProblem(string target, SwitchboardConfig config)
    {
        if (string.IsNullOrWhiteSpace(target)) return "a target may not be empty";
        var provider = target.Split(':', 2)[0];
        return config.Providers.ContainsKey(provider)
            ? null
            : $"'{target}' does not start with a configured provider; write \"provider:model\" or \"provider\" " +
              $"(configured: {string.Join(", ", config.Providers.Keys.Order(StringComparer.Ordinal))})";
    }

    private static string UnknownDuty(string duty) => $"'{duty}' is not a duty; duties are {string.Join(", ", Duties.All)}";
}
