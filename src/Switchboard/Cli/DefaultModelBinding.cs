using Switchboard.Anthropic;
using Switchboard.Config;
using Switchboard.Providers;
using Switchboard.Routing;

namespace Switchboard.Cli;

/// <summary>
/// The model <c>switchboard code</c> starts Claude Code on when the router sends Claude Code's own default to a
/// non-Anthropic model (<c>routes.default</c>, <c>modelMap</c>, <c>bigModel</c>). Claude Code 2.1.332 takes any Claude
/// name for Claude: it never reads <c>CLAUDE_CODE_MAX_CONTEXT_TOKENS</c> for one, <c>CLAUDE_CODE_AUTO_COMPACT_WINDOW</c>
/// cannot go below 100k, and without either it does not compact a gateway's Claude name before the upstream refuses
/// it. A non-Claude name in <c>ANTHROPIC_MODEL</c> makes the window apply (the Opus slot would not do: Claude Code
/// asks for it as <c>name[1m]</c> and takes that for a 1M window).
/// </summary>
internal static class DefaultModelBinding
{
    public const string Variable = "ANTHROPIC_MODEL";

    /// <summary>What Claude Code 2.1.332 asks for when nothing picks a model (an API key, no subscription).</summary>
    public const string ClaudeCodesDefault = "claude-opus-5-5";

    /// <summary>
    /// The name to start on and where it goes, or null when Claude Code's default stays on an Anthropic provider (or a
    /// Claude model elsewhere, whose window Claude Code knows). The name is the target's bare model name when the
    /// router sends that name to the same target (so rules and duty routes still see the session's requests as before),
    /// else the explicit <c>provider:model</c>.
    /// </summary>
    public static (string Name, ModelTarget Target)? For(SwitchboardConfig config)
    {
        if (Route(config, ClaudeCodesDefault) is not { } target) return null;
        if (!config.Providers.TryGetValue(target.Provider, out var provider) || ProviderKinds.Of(provider)?.ClaudeCodeKnowsItsModels == true) return null;
        if (target.Model.Contains("claude", StringComparison.OrdinalIgnoreCase)) return null;
        var bare = ModelTargetParser.TryExplicit(target.Model, config) is null && Route(config, target.Model) == target;
        return (bare ? target.Model : target.ToString(), target);
    }

    private static ModelTarget? Route(SwitchboardConfig config, string model)
    {
        try
        {
            var request = new MessagesRequest { Model = model, Messages = [new Message { Role = "user", Content = MessageContent.FromText("hi") }] };
            return Router.Decide(request, [], config).Primary;
        }
        catch (AnthropicErrorException)
        {
            return null;
        }
    }
}
