using Switchboard.Anthropic;
using Switchboard.Config;

namespace Switchboard.Routing;

/// <summary>
/// What the router decided for one request, and why: enough to log it in one line and to explain it, with the
/// request to send on (<see cref="Request"/>), which is the one asked (<see cref="Asked"/>) unless routing edited it.
/// </summary>
public sealed record RouteDecision(
    IReadOnlyList<ModelTarget> Targets, string Duty, RouteReason Reason, int? EstimatedTokens, IReadOnlySet<string> DutiesSeen)
{
    public ModelTarget Primary => Targets[0];

    /// <summary>The request as the client asked it; routing never changes it.</summary>
    public required MessagesRequest Asked { get; init; }

    /// <summary>The request to forward: <see cref="Asked"/>, or a copy without a CCR subagent tag.</summary>
    public required MessagesRequest Request { get; init; }

    /// <summary>True when routing changed the request itself (a CCR subagent tag was removed from the prompt).</summary>
    public bool EditedRequest => Request != Asked;
}

/// <summary>
/// Picks the target(s) for a request. First match wins, in this order:
/// <list type="number">
/// <item>a target pinned in the URL (<c>/provider:model/v1/messages</c>);</item>
/// <item>CCR's <c>&lt;CCR-SUBAGENT-MODEL&gt;</c> tag in the prompt (removed before forwarding);</item>
/// <item>an explicit <c>provider:model</c> or <c>provider,model</c> in <c>model</c> (in-session <c>/model</c> switching);</item>
/// <item>the first matching rule in <c>rules</c>;</item>
/// <item>the route of the first duty, in <c>dutyOrder</c>, that applies and has a route;</item>
/// <item><c>modelMap</c> (globs, in order), then <c>smallModel</c>/<c>bigModel</c> for haiku / sonnet and opus names;</item>
/// <item><c>routes.default</c>; a non-Claude name listed under a provider's <c>models</c> goes to that provider; else
/// <c>defaultProvider</c> with the model unchanged.</item>
/// </list>
/// </summary>
public static class Router
{
    /// <summary>The decision; throws a 400 when a target it names is not one a request can go to (see <see cref="TargetCheck"/>).</summary>
    public static RouteDecision Decide(
        MessagesRequest request, IReadOnlyList<KeyValuePair<string, string>> headers, SwitchboardConfig config, string? pinned = null)
    {
        if (pinned is not null) TargetCheck.Pinned(pinned, config);
        var decision = Choose(request, headers, config, pinned);
        foreach (var target in decision.Targets) TargetCheck.Routable(target, decision.Reason);
        return decision;
    }

    private static RouteDecision Choose(
        MessagesRequest asked, IReadOnlyList<KeyValuePair<string, string>> headers, SwitchboardConfig config, string? pinned)
    {
        var model = asked.Model ?? "";
        // Everything below looks at the request as it will be sent: without the tag.
        var (request, tagged) = SubagentTag.Take(asked);
        int? estimate = null;
        int Estimate() => estimate ??= TokenCounter.Count(request);
        // The estimate is only worth its cost when something routes on it.
        var tokensMatter = CountsTokens(config);
        var duties = DutyDetector.Detect(request, headers, () => tokensMatter ? Estimate() : 0, config.LongContextThreshold, tagged is not null);
        var order = Duties.Order(config.DutyOrder);
        var duty = order.FirstOrDefault(duties.Contains) ?? Duties.Default;

        RouteDecision Decided(IReadOnlyList<ModelTarget> targets, RouteReason reason) =>
            new(targets, duty, reason, estimate, duties) { Asked = asked, Request = request };
        RouteDecision Decision(IEnumerable<string> targets, RouteReason reason) =>
            Decided(targets.Select(target => Parse(target, model, config)).ToList(), reason);

        if (pinned is not null) return Decision([pinned], RouteReason.Url);
        if (tagged is not null) return Decision([tagged.Replace(',', ':')], RouteReason.SubagentTag);
        if (ModelTargetParser.TryExplicit(model, config) is { } explicitTarget) return Decided([explicitTarget], RouteReason.ExplicitModel);

        for (var i = 0; i < (config.Rules?.Count ?? 0); i++)
        {
            var rule = config.Rules![i];
            if (Matches(rule.When, request, headers, duty, tokensMatter ? Estimate : () => 0))
                return Decision(rule.To.Targets, RouteReason.Rule(rule.Name ?? i.ToString()));
        }
        foreach (var candidate in order)
            if (duties.Contains(candidate) && config.Routes?.For(candidate) is { } route)
                return Decision(route.Targets, RouteReason.Duty(candidate)) with { Duty = candidate };
        foreach (var (glob, target) in config.ModelMap ?? [])
            if (Glob.IsMatch(glob, model)) return Decision([target], RouteReason.ModelMap(glob));
        if (config.SmallModel is { } small && model.Contains("haiku", StringComparison.OrdinalIgnoreCase)) return Decision([small], RouteReason.SmallModel);
        if (config.BigModel is { } big && (model.Contains("sonnet", StringComparison.OrdinalIgnoreCase) || model.Contains("opus", StringComparison.OrdinalIgnoreCase)))
            return Decision([big], RouteReason.BigModel);
        if (config.Routes?.Default is { } fallback) return Decision(fallback.Targets, RouteReason.Duty(Duties.Default));
        if (ProviderListing(model, config) is { } owner) return Decision([$"{owner}:{model}"], RouteReason.ListedBy(owner));
        return Decided([ModelTargetParser.Resolve(model, config)], RouteReason.DefaultProvider);
    }

    /// <summary>Whether routing needs a token count at all: only a longContext route or a rule on tokens does.</summary>
    public static bool CountsTokens(SwitchboardConfig config) =>
        config.Routes?.LongContext is not null || config.Rules?.Any(r => r.When.MinTokens is not null || r.When.MaxTokens is not null) == true;

    /// <summary>A non-Claude model name goes to the provider whose configured <c>models</c> list it, when one does.</summary>
    private static string? ProviderListing(string model, SwitchboardConfig config) =>
        model.Contains("claude", StringComparison.OrdinalIgnoreCase) || config.Providers.TryGetValue(config.DefaultProvider, out var main) && main.Models?.Contains(model) == true
            ? null
            : config.Providers.FirstOrDefault(pair => pair.Value.Models?.Contains(model) == true).Key;

    /// <summary>A config target: <c>provider:model</c>, or <c>provider</c> alone to keep the requested model.</summary>
    public static ModelTarget Parse(string target, string requestedModel, SwitchboardConfig config)
    {
        var colon = target.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0) return new ModelTarget(target, ModelTargetParser.Resolve(requestedModel, config).Model);
        return new ModelTarget(target[..colon], target[(colon + 1)..]);
    }

    private static bool Matches(
        RuleConditions when, MessagesRequest request, IReadOnlyList<KeyValuePair<string, string>> headers, string duty, Func<int> tokens)
    {
        if (when.Duty is { Count: > 0 } wanted && !wanted.Contains(duty)) return false;
        if (when.Model is { } glob && !Glob.IsMatch(glob, request.Model ?? "")) return false;
        if (when.HasTools is { } hasTools && hasTools != (request.Tools is { Count: > 0 })) return false;
        foreach (var (name, valueGlob) in when.Headers ?? [])
            if (DutyDetector.HeaderValue(headers, name) is not { } value || !Glob.IsMatch(valueGlob, value)) return false;
        if (when.MinTokens is { } min && tokens() < min) return false;
        if (when.MaxTokens is { } max && tokens() > max) return false;
        return true;
    }
}
