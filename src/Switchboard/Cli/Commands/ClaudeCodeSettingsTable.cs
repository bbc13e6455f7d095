using Spectre.Console;
using Switchboard.Config;

namespace Switchboard.Cli.Commands;

/// <summary>
/// The part of <c>switchboard status</c> that compares what the config asks for with what is active: the router's
/// serving routes, and, when status runs inside a Claude Code session (from its Bash tool), what that session was
/// started with. Claude Code reads its variables once, so a changed setting shows here until the next <c>code</c>.
/// </summary>
internal static class ClaudeCodeSettingsTable
{
    public static void Write(IAnsiConsole console, SwitchboardConfig? configured, Func<string, string?> env)
    {
        if (configured is null) return;
        var inSession = env("ANTHROPIC_BASE_URL") is { Length: > 0 };
        var table = new Table().AddColumns("setting", "configured", inSession ? "active in this Claude Code session" : "active");
        void Row(string name, string? value, string? variable)
        {
            var active = !inSession || variable is null ? "(next `switchboard code`)" : env(variable) is { Length: > 0 } set ? set : "(not set)";
            table.AddRow(Markup.Escape(name), Markup.Escape(value ?? "default"), Markup.Escape(active));
        }
        Row("subagentModel", configured.SubagentModel, "CLAUDE_CODE_SUBAGENT_MODEL");
        Row("claudeCode.internalClassifierModel", configured.ClaudeCode.InternalClassifierModel, "ANTHROPIC_DEFAULT_HAIKU_MODEL");
        Row("claudeCode.slots.opus", configured.ClaudeCode.Slots?.Opus, "ANTHROPIC_DEFAULT_OPUS_MODEL");
        Row("claudeCode.slots.sonnet", configured.ClaudeCode.Slots?.Sonnet, "ANTHROPIC_DEFAULT_SONNET_MODEL");
        Row("claudeCode.slots.custom", configured.ClaudeCode.Slots?.Custom, "ANTHROPIC_CUSTOM_MODEL_OPTION");
        Row("claudeCode.bridge", configured.ClaudeCode.Bridge, null);
        Row("claudeCode.discovery", configured.ClaudeCode.Discovery ? "on" : "off", null);
        Row("claudeCode.nonInteractive", configured.ClaudeCode.NonInteractive ? "on" : "off", "CI");
        Row("router", null, "ANTHROPIC_BASE_URL");
        console.Write(table);
    }
}
