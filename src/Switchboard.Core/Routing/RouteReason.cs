namespace Switchboard.Routing;

/// <summary>Which step of the router's order made a decision (see <see cref="Router"/>), in that order.</summary>
public enum RouteReasonKind
{
    Url,
    SubagentTag,
    ExplicitModel,
    Rule,
    Duty,
    ModelMap,
    SmallModel,
    BigModel,
    ListedModel,
    DefaultProvider,
}

/// <summary>
/// Why the router chose its targets: the step that matched (<see cref="Kind"/>, for code to test) and the words
/// people read for it (<see cref="Text"/>: <c>route --explain</c>, the log line, the ledger's <c>rule</c> column).
/// A closed set made only here, and no conversion from or to a string, so no caller decides by comparing words.
/// </summary>
public sealed record RouteReason
{
    private RouteReason(RouteReasonKind kind, string text) => (Kind, Text) = (kind, text);

    public RouteReasonKind Kind { get; }

    /// <summary>Stable wording: the ledger stores it and <c>usage</c> groups by it.</summary>
    public string Text { get; }

    public static RouteReason Url { get; } = new(RouteReasonKind.Url, "url");
    public static RouteReason SubagentTag { get; } = new(RouteReasonKind.SubagentTag, "subagent tag");
    public static RouteReason ExplicitModel { get; } = new(RouteReasonKind.ExplicitModel, "model");
    public static RouteReason SmallModel { get; } = new(RouteReasonKind.SmallModel, "smallModel");
    public static RouteReason BigModel { get; } = new(RouteReasonKind.BigModel, "bigModel");
    public static RouteReason DefaultProvider { get; } = new(RouteReasonKind.DefaultProvider, "default provider");

    /// <summary>A rule of <c>rules</c>, by its name or else its index.</summary>
    public static RouteReason Rule(string name) => new(RouteReasonKind.Rule, "rule:" + name);

    /// <summary>The route of a duty; <c>routes.default</c> is the route of the duty <c>default</c>.</summary>
    public static RouteReason Duty(string duty) => new(RouteReasonKind.Duty, "duty:" + duty);

    public static RouteReason ModelMap(string glob) => new(RouteReasonKind.ModelMap, "modelMap:" + glob);

    /// <summary>A non-Claude name that a provider's <c>models</c> list.</summary>
    public static RouteReason ListedBy(string provider) => new(RouteReasonKind.ListedModel, "listed by " + provider);

    public override string ToString() => Text;
}
