using Switchboard.Anthropic;
using Switchboard.Config;

namespace Switchboard.Routing;

/// <summary>
/// A model name reaches a provider from the body, a config route, a CCR tag or the URL, and providers put it into
/// their own URLs (Gemini's <c>/models/{model}:generateContent</c>, Bedrock's <c>/model/{id}/converse</c>). Each is
/// escaped as one path segment there; what no escaping can make safe is refused here, before any upstream is
/// called: control characters (a CR or LF would forge a log line or a header), and names that are empty or a dot
/// segment (<c>..</c> is resolved away by every URL parser, escaped or not).
/// </summary>
internal static class TargetCheck
{
    /// <summary>A target pinned by <c>/{target}/v1/messages</c> names a configured provider, and a model if it names one.</summary>
    public static void Pinned(string pinned, SwitchboardConfig config)
    {
        var provider = pinned.Split(':', 2)[0];
        if (!config.Providers.ContainsKey(provider))
            throw Refused($"The URL pins the target '{Printable(pinned)}', but '{Printable(provider)}' is not a configured provider " +
                          $"(configured: {string.Join(", ", config.Providers.Keys.Order(StringComparer.Ordinal))}). " +
                          "Use /provider:model/v1/messages, or /v1/messages to route by the body's model.");
        if (pinned.Length == provider.Length + 1)
            throw Refused($"The URL pins '{Printable(pinned)}' but names no model after the colon; use /{provider}:model/v1/messages or /{provider}/v1/messages.");
    }

    /// <summary>Refuses a target whose model name cannot be sent anywhere; <paramref name="reason"/> says where it came from.</summary>
    public static void Routable(ModelTarget target, RouteReason reason)
    {
        var problem = target.Model switch
        {
            "" => "it names no model",
            "." or ".." => $"'{target.Model}' is not a model name",
            _ => RequestValidator.ModelName(target.Model),
        };
        if (problem is not null)
            throw Refused($"Target '{Printable(target.ToString())}' (chosen by {reason}): {problem}. " +
                          "Fix the model name in the request, the URL or config.json.");
    }

    private static AnthropicErrorException Refused(string message) => new(AnthropicError.InvalidRequest(message));

    /// <summary>The name as it can be shown in one line: control characters as <c>\u000A</c>, long names cut.</summary>
    private static string Printable(string name)
    {
        var shown = name.Length > 120 ? name[..120] + "…" : name;
        return string.Concat(shown.Select(c => char.IsControl(c) ? $"\\u{(int)c:X4}" : c.ToString()));
    }
}
