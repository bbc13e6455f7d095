using Microsoft.Extensions.Logging.Abstractions;
using Switchboard.Config;
using Switchboard.Providers;
using Switchboard.Routing;

namespace Switchboard.Cli;

/// <summary>
/// What <c>switchboard code</c> tells Claude Code beyond the router's address, as openclaude's <c>oc start</c> did: which models stand behind
/// the picker's slots (explicit <c>claudeCode.slots</c>, else bridged from the local Ollama models), the subagent
/// model, and, in discovery mode, the sentinel token that makes Claude Code list every routed model in <c>/model</c>.
/// </summary>
internal static class ClaudeCodeSetup
{
    /// <summary>
    /// Claude Code sends this as its bearer token in discovery mode; the router swaps it for the live subscription
    /// token on Anthropic-bound requests and it reaches no other provider.
    /// </summary>
    public const string DiscoverySentinel = Providers.Anthropic.SubscriptionToken.Sentinel;

    public sealed record Wiring(IReadOnlyList<(string Name, string Value)> Variables, IReadOnlyList<string> Summary, IReadOnlyList<string> Warnings);

    /// <summary>Switchboard's own flags among <c>code</c>'s arguments; the rest go to Claude Code.</summary>
    public sealed record Flags(bool? Discovery, string? Bridge, string[] ClaudeArgs);

    public static Flags TakeFlags(string[] args)
    {
        bool? discovery = null;
        string? bridge = null;
        var rest = new List<string>();
        foreach (var arg in args)
        {
            if (arg == "--no-discovery") discovery = false;
            else if (arg == "--discovery") discovery = true;
            else if (arg.StartsWith("--bridge=", StringComparison.Ordinal)) bridge = arg["--bridge=".Length..];
            else rest.Add(arg);
        }
        return new Flags(discovery, bridge, [.. rest]);
    }

    /// <summary>
    /// Where discovery mode's subscription login comes from: whether <c>CLAUDE_CODE_OAUTH_TOKEN</c> (a
    /// <c>claude setup-token</c> token) is set for this command, and whether the router serving it took one.
    /// </summary>
    public sealed record SetupToken(bool InEnvironment, bool RouterUsesIt)
    {
        public static readonly SetupToken None = new(false, false);
    }

    public static Wiring For(string url, SwitchboardConfig? config, IReadOnlyList<ModelTarget> localModels, Flags flags,
        SetupToken? setupToken = null, IReadOnlyDictionary<ModelTarget, int>? windows = null)
    {
        setupToken ??= SetupToken.None;
        var variables = new List<(string, string)>(ClaudeEnvironment.For(url, config?.ApiKey));
        var summary = new List<string> { $"router       {url}" };
        var warnings = new List<string>();
        if (config is null) return new Wiring(variables, summary, warnings);

        var claudeCode = config.ClaudeCode;
        var bridge = flags.Bridge ?? claudeCode.Bridge;
        var slots = claudeCode.Slots ?? new SlotBindings();
        string? Bridged(int index) => bridge != ClaudeCodeConfig.Off && index < localModels.Count ? localModels[index].ToString() : null;
        var custom = slots.Custom ?? Bridged(0);
        var sonnet = slots.Sonnet ?? (bridge == ClaudeCodeConfig.Aggressive ? Bridged(1) : null);
        var opus = slots.Opus ?? (bridge == ClaudeCodeConfig.Aggressive ? Bridged(2) : null);
        // Never bridged: Claude Code's background classifier, titles and summaries run on the Haiku slot.
        var haiku = slots.Haiku ?? claudeCode.InternalClassifierModel;

        var bound = new List<ModelTarget>();
        void Slot(string label, string prefix, string? target)
        {
            if (target is null) return;
            var parsed = Router.Parse(target, target, config);
            bound.Add(parsed);
            variables.Add((prefix, target));
            variables.Add((prefix + "_NAME", $"{parsed.Model} ({parsed.Provider}, {label[..label.IndexOf(' ')]} slot)"));
            variables.Add((prefix + "_DESCRIPTION", $"{parsed.Provider} via Switchboard"));
            summary.Add($"{label,-12} {target}");
        }
        Slot("Custom slot", "ANTHROPIC_CUSTOM_MODEL_OPTION", custom);
        Slot("Sonnet slot", "ANTHROPIC_DEFAULT_SONNET_MODEL", sonnet);
        Slot("Opus slot", "ANTHROPIC_DEFAULT_OPUS_MODEL", opus);
        Slot("Haiku slot", "ANTHROPIC_DEFAULT_HAIKU_MODEL", haiku);
        summary.Add($"bridge       {bridge}{(localModels.Count == 0 ? " (no local models found)" : $" ({localModels.Count} local model(s))")}");

        if (config.SubagentModel is { Length: > 0 } subagent)
        {
            var target = Router.Parse(subagent, subagent, config);
            var install = config.Providers.TryGetValue(target.Provider, out var provider) ? ProviderKinds.Of(provider)?.InstallCommand : null;
            if (install is not null && localModels.Count > 0 && !localModels.Contains(target))
                warnings.Add($"subagent model {subagent} is not installed; subagents use Claude Code's default (run `{install(target.Model)}`)");
            else
            {
                variables.Add(("CLAUDE_CODE_SUBAGENT_MODEL", subagent));
                summary.Add($"subagents    {subagent}");
                bound.Add(target);
            }
        }

        if (MissingLoginCheck.RequestedModel(flags.ClaudeArgs) is null && DefaultModelBinding.For(config) is (string mainName, ModelTarget mainTarget))
        {
            variables.Add((DefaultModelBinding.Variable, mainName));
            summary.Add($"main model   {mainName} (the default route, {mainTarget}, under a name Claude Code does not take for Claude)");
            bound.Add(mainTarget);
        }

        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable(ContextWindows.Variable)) &&
            ContextWindows.Smallest(config, bound, windows ?? new Dictionary<ModelTarget, int>()) is { } window)
        {
            variables.Add((ContextWindows.Variable, Invariant(window)));
            summary.Add($"window       {window} tokens for the non-Claude models (Claude Code compacts before it)");
            if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable(ContextWindows.OutputVariable)) && ContextWindows.OutputCap(window) is { } cap)
            {
                variables.Add((ContextWindows.OutputVariable, Invariant(cap)));
                summary.Add($"max output   {cap} tokens a reply, so the window leaves room for the conversation");
            }
        }

        if (flags.Discovery ?? claudeCode.Discovery)
        {
            variables.Add(("ANTHROPIC_AUTH_TOKEN", DiscoverySentinel));
            variables.Add(("CLAUDE_CODE_ENABLE_GATEWAY_MODEL_DISCOVERY", "1"));
            summary.Add("discovery    on: every routed model in /model; your subscription pays for Anthropic-bound traffic");
            summary.Add("             (Remote Control, /schedule, claude.ai MCP connectors are off this session; --no-discovery keeps them)");
            if (setupToken.RouterUsesIt)
                summary.Add($"login        {Providers.Anthropic.SubscriptionToken.EnvironmentVariable} (a `claude setup-token` token)");
            else if (setupToken.InEnvironment)
                warnings.Add($"{Providers.Anthropic.SubscriptionToken.EnvironmentVariable} is set here, but the running router was started without it " +
                             "and uses your stored Claude login; run `switchboard restart` to use the token");
            else if (NeedsClaudeLogin(config) && !Providers.Anthropic.SubscriptionToken.ForThisMachine(TimeProvider.System).HasLogin &&
                string.IsNullOrEmpty(Environment.GetEnvironmentVariable("ANTHROPIC_API_KEY")))
                warnings.Add("discovery needs your Claude login (~/.claude/.credentials.json; the keychain on macOS) or ANTHROPIC_API_KEY for Anthropic-bound requests; run `claude` once to log in");
        }
        else summary.Add("discovery    off: Claude Code's own login; slots only");

        return new Wiring(variables, summary, warnings);
    }

    private static string Invariant(int value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>
    /// Whether discovery's Anthropic-bound requests need the user's own Claude login: some <c>anthropic</c> provider
    /// has no key of its own (one that is set, or a <c>$VAR</c> that is set here). With its own key, the router signs
    /// those requests itself, and warning about a missing login on every run is noise.
    /// </summary>
    public static bool NeedsClaudeLogin(SwitchboardConfig? config) =>
        config is null || config.Providers.Values.Any(provider =>
            ProviderKinds.Of(provider)?.ForwardsClientLogin == true && string.IsNullOrEmpty(EnvExpander.ExpandOrNull(provider.ApiKey)));

    /// <summary>
    /// The whole environment <c>switchboard code</c> gives Claude Code, and so what <c>activate</c> prints: the wiring
    /// for the installed local models (asked for at most five seconds), plus <see cref="HeadlessEnvironment"/> when
    /// headless. One function, so the two cannot drift (issue 15, item 10: activate once left the bridged slots out).
    /// </summary>
    public static async Task<Wiring> ForRunAsync(string url, SwitchboardConfig? config, Flags flags, SetupToken? setupToken, bool headless)
    {
        using var lookup = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        var localModels = config is null ? [] : await LocalModelsAsync(config, lookup.Token);
        var bindable = config is null ? [] : localModels.Concat(BoundTargets(config)).ToList();
        var windows = config is null ? null : await ContextWindows.ReportedAsync(config, bindable, lookup.Token);
        var wiring = For(url, config, localModels, flags, setupToken, windows);
        return headless ? wiring with { Variables = [.. wiring.Variables, .. HeadlessEnvironment.Variables] } : wiring;
    }

    /// <summary>
    /// The models named in <c>claudeCode.slots</c> and <c>subagentModel</c>, and the default route's, whose windows are
    /// worth asking for.
    /// </summary>
    private static IEnumerable<ModelTarget> BoundTargets(SwitchboardConfig config)
    {
        var slots = config.ClaudeCode.Slots ?? new SlotBindings();
        var named = new[] { slots.Custom, slots.Sonnet, slots.Opus, slots.Haiku ?? config.ClaudeCode.InternalClassifierModel, config.SubagentModel }
            .OfType<string>().Where(target => target.Length > 0).Select(target => Router.Parse(target, target, config));
        return DefaultModelBinding.For(config) is (_, ModelTarget main) ? named.Append(main) : named;
    }

    /// <summary>Installed models of the local (loopback) providers whose user installs models (Ollama), in config order; none when Ollama is down.</summary>
    public static async Task<IReadOnlyList<ModelTarget>> LocalModelsAsync(SwitchboardConfig config, CancellationToken cancellationToken)
    {
        using var upstream = new UpstreamClient();
        var snapshot = new ConfigSnapshot(config, ProviderRegistry.CreateDefault(upstream, NullLoggerFactory.Instance), version: 1);
        var models = new List<ModelTarget>();
        foreach (var (name, provider) in config.Providers)
        {
            if (ProviderKinds.Of(provider)?.InstallCommand is null || !IsLoopback(provider.BaseUrl) ||
                snapshot.Providers[name] is not IModelLister lister) continue;
            try
            {
                models.AddRange((await lister.ListModelsAsync([], cancellationToken)).Select(model => new ModelTarget(name, model.Id)));
            }
            catch (Exception ex) when (ex is Anthropic.AnthropicErrorException or HttpRequestException or OperationCanceledException)
            {
                // Not running: nothing to bridge.
            }
        }
        return models;
    }

    private static bool IsLoopback(string? baseUrl) =>
        baseUrl is null || Uri.TryCreate(EnvExpander.Expand(baseUrl), UriKind.Absolute, out var uri) && (uri.IsLoopback || uri.Host == "localhost");
}
