using Spectre.Console;
using Switchboard.Anthropic;
using Switchboard.Config;
using Switchboard.Providers;
using Switchboard.Routing;

namespace Switchboard.Cli;

/// <summary>
/// Issue 15, item 2: with no Anthropic credential and the default route going to Anthropic, Claude Code retries the
/// router's 401 for about three minutes before it gives up. <c>switchboard code</c> checks this before starting it,
/// and says in one screen what the user can do instead: log in, set an API key, or make a local model the default.
/// </summary>
internal static class MissingLoginCheck
{
    /// <summary>What Claude Code asks for when nothing picks a model: a Sonnet name.</summary>
    public const string ProbeModel = "claude-sonnet-4-5";

    /// <summary>
    /// The Anthropic target the default route reaches when nothing can sign for it (no stored Claude login, no
    /// <c>ANTHROPIC_API_KEY</c>, <c>ANTHROPIC_AUTH_TOKEN</c> or <c>CLAUDE_CODE_OAUTH_TOKEN</c>, no key on the provider); else null.
    /// </summary>
    public static ModelTarget? UnsignedAnthropicDefault(SwitchboardConfig config, string? model)
    {
        ModelTarget target;
        try
        {
            var request = new MessagesRequest { Model = model ?? ProbeModel, Messages = [new Message { Role = "user", Content = MessageContent.FromText("hi") }] };
            target = Router.Decide(request, [], config).Primary;
        }
        catch (AnthropicErrorException)
        {
            return null;
        }
        if (!config.Providers.TryGetValue(target.Provider, out var provider) || ProviderKinds.Of(provider)?.ForwardsClientLogin != true) return null;
        if (!string.IsNullOrEmpty(EnvExpander.ExpandOrNull(provider.ApiKey))) return null;
        if (Set("ANTHROPIC_API_KEY") || Set("ANTHROPIC_AUTH_TOKEN")) return null;
        return Providers.Anthropic.SubscriptionToken.ForThisMachine(TimeProvider.System).HasLogin ? null : target;
    }

    private static bool Set(string variable) => !string.IsNullOrEmpty(Environment.GetEnvironmentVariable(variable));

    /// <summary>The model Claude Code will ask for: its <c>--model</c> argument, else <c>ANTHROPIC_MODEL</c>.</summary>
    public static string? RequestedModel(IReadOnlyList<string> claudeArgs)
    {
        for (var i = 0; i < claudeArgs.Count; i++)
        {
            if (claudeArgs[i] == "--model" && i + 1 < claudeArgs.Count) return claudeArgs[i + 1];
            if (claudeArgs[i].StartsWith("--model=", StringComparison.Ordinal)) return claudeArgs[i]["--model=".Length..];
        }
        return Environment.GetEnvironmentVariable("ANTHROPIC_MODEL") is { Length: > 0 } model ? model : null;
    }

    /// <summary>The command that sets the default route; what the advice prints and the y/N answer runs.</summary>
    public static string SwitchCommand(ModelTarget local) => $"switchboard model-default {local}";

    /// <summary>The one screen of advice.</summary>
    public static void Advise(IAnsiConsole console, ModelTarget target, string claude, IReadOnlyList<ModelTarget> localModels)
    {
        console.MarkupLineInterpolated($"[red]switchboard: Claude Code cannot start here: the default route goes to Anthropic ({target}), and there is no Anthropic credential[/]");
        console.MarkupLine("[red](no Claude login, no ANTHROPIC_API_KEY, no CLAUDE_CODE_OAUTH_TOKEN, no apiKey on the provider).[/]");
        console.MarkupLine("Pick one:");
        console.MarkupLine("  [bold]1. Log in with your Claude subscription[/], then run this again:");
        console.MarkupLineInterpolated($"       {Quote(claude)} auth login");
        console.MarkupLine("  [bold]2. Use an Anthropic API key[/], then run this again:");
        console.MarkupLine("       export ANTHROPIC_API_KEY=sk-ant-…");
        console.MarkupLine("  [bold]3. Use a local model[/]" + (localModels.Count > 0 ? " (Ollama answers with these installed):" : ":"));
        if (localModels.Count > 0)
        {
            console.MarkupLineInterpolated($"       {SwitchCommand(localModels[0])}");
            console.MarkupLineInterpolated($"       [grey](installed: {string.Join(", ", localModels)})[/]");
        }
        else
        {
            console.MarkupLine("       start Ollama and pull a model (ollama pull qwen3:8b), then");
            console.MarkupLine("       switchboard model-default ollama-local:qwen3:8b");
        }
    }

    private static string Quote(string path) => path.Contains(' ', StringComparison.Ordinal) ? $"\"{path}\"" : path;
}
