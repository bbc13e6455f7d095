using Switchboard.Config;
using Switchboard.Hosting;

namespace Switchboard.Cli;

/// <summary>The environment that points Claude Code at the router; shared by <c>code</c> and <c>activate</c>.</summary>
internal static class ClaudeEnvironment
{
    /// <summary>
    /// Variables to set: the router's URL; Claude Code's request-class hint headers, which duty routing reads; the
    /// client key as written in config (<c>$VAR</c> references unexpanded). <see cref="ClaudeCodeSetup"/> adds the rest.
    /// </summary>
    public static IReadOnlyList<(string Name, string Value)> For(string url, string? configuredApiKey)
    {
        var variables = new List<(string, string)> { ("ANTHROPIC_BASE_URL", url), ("CLAUDE_CODE_GATEWAY_HINT_HEADERS", "1") };
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
