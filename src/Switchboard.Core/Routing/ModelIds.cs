using Switchboard.Config;

namespace Switchboard.Routing;

/// <summary>
/// The names a model goes by outside Switchboard. A routable id is what a user types after <c>/model</c>: the bare
/// model for the default provider, <c>provider:model</c> for the rest. Claude Code's gateway discovery keeps only
/// ids containing "claude" or "anthropic", so a discoverable id that lacks both is prefixed with
/// <see cref="DiscoveryPrefix"/>; <see cref="ModelTargetParser"/> takes the prefix off again.
/// </summary>
public static class ModelIds
{
    public const string DiscoveryPrefix = "claude-via-";

    public static string Routable(string provider, string model, SwitchboardConfig config) =>
        provider == config.DefaultProvider ? model : $"{provider}:{model}";

    public static string Discoverable(string provider, string model, SwitchboardConfig config)
    {
        var id = Routable(provider, model, config);
        return SurvivesDiscoveryFilter(id) ? id : $"{DiscoveryPrefix}{provider}:{model}";
    }

    /// <summary>Claude Code 2.x drops every discovered id that does not match <c>/(claude|anthropic)/i</c>.</summary>
    public static bool SurvivesDiscoveryFilter(string id) =>
        id.Contains("claude", StringComparison.OrdinalIgnoreCase) || id.Contains("anthropic", StringComparison.OrdinalIgnoreCase);
}
