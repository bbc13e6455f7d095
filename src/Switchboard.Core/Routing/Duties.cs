namespace Switchboard.Routing;

/// <summary>The jobs Claude Code sends requests for, each routable on its own (<c>routes</c> in config).</summary>
public static class Duties
{
    public const string Default = "default";
    public const string Background = "background";
    public const string Subagent = "subagent";
    public const string Think = "think";
    public const string LongContext = "longContext";
    public const string WebSearch = "webSearch";
    public const string Image = "image";

    public static readonly IReadOnlyList<string> All = [Default, Background, Subagent, Think, LongContext, WebSearch, Image];

    /// <summary>
    /// Which duty wins when several apply, unless config says otherwise: what the request needs to work at all first
    /// (a web search tool, an image, a prompt that only fits a long context), then who is asking (a subagent, background
    /// work), then how hard to think.
    /// </summary>
    public static readonly IReadOnlyList<string> DefaultOrder = [WebSearch, Image, LongContext, Subagent, Background, Think];

    /// <summary>The configured order, with the duties it leaves out in their default places after it.</summary>
    public static IReadOnlyList<string> Order(IReadOnlyList<string>? configured) =>
        configured is null ? DefaultOrder : configured.Concat(DefaultOrder).Where(d => d != Default).Distinct().ToList();
}
