using Switchboard.Config;
using Switchboard.Hosting;

namespace Switchboard.Cli;

/// <summary>The environment that points Claude Code at the router; shared by <c>code</c> and <c>activate</c>.</summary>
internal static class ClaudeEnvironment
{
    /// <summary>
    /// Variables to set: the router's URL; Claude Code's request-class hint headers, which duty routing reads; the
    /// subagent model from config; the client key as written in config (<c>$VAR</c> references unexpanded).
    /// </summary>
    public static IReadOnlyList<(string Name, string Value)> For(string url, SwitchboardConfig? config)
    {
        var variables = new List<(string, string)> { ("ANTHROPIC_BASE_URL", url), ("CLAUDE_CODE_GATEWAY_HINT_HEADERS", "1") };
        if (config?.SubagentModel is { Length: > 0 } subagentModel) variables.Add(("CLAUDE_CODE_SUBAGENT_MODEL", subagentModel));
        var configuredApiKey = config?.ApiKey;
        if (!string.IsNullOrEmpty(configuredApiKey))
        {
            // Sent in its own header so Claude Code's own login (API key or subscription) keeps working.
            variables.Add(("ANTHROPIC_CUSTOM_HEADERS", $"{ClientAuthHeader}: {configuredApiKey}"));
        }
        var noProxy = Environment.GetEnvironmentVariable("NO_PROXY");
        variables.Add(("NO_PROXY", string.IsNullOrEmpty(noProxy) ? "127.0.0.1,localhost" : $"127.0.0.1,localhost,{noProxy}"));
        return variables;
    }

    public const string ClientAuthHeader = "x-switchboard-key";

    public static SwitchboardConfig? Configured(SwitchboardHome home) =>
        ConfigLoader.TryLoad(home.ConfigFile, CliProviders.Registry).Config;
}
