using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Switchboard.Providers.OpenAI;

/// <summary>
/// Claude Code asks for 32000 to 128000 output tokens; many models allow far fewer and the server answers 400. The
/// refusal names the limit, so the request is sent again once within it. A model's own output limit is remembered
/// (until the config reloads) so later requests fit at once; room left by this prompt in the context is not, as it
/// changes with every turn. A <c>maxtoken</c> transformer avoids the first 400. At most <see cref="MaxModels"/> are
/// remembered (model names come from requests): past that the memory starts again, which costs one more 400 a model.
/// </summary>
internal sealed partial class OutputTokenLimits
{
    public const int MaxModels = 256;

    private readonly ConcurrentDictionary<string, int> _learned = new(StringComparer.Ordinal);

    public int Count => _learned.Count;

    /// <summary>Caps the body's output tokens at what <paramref name="model"/> is known to allow.</summary>
    public void Apply(JsonObject body, string model)
    {
        if (_learned.TryGetValue(model, out var cap)) Cap(body, cap);
    }

    /// <summary>True when the refusal named a lower limit: it is remembered and the body capped for a retry.</summary>
    public bool Learn(JsonObject body, string model, string message)
    {
        if (Limit(message) is not var (cap, ownLimit) || Asked(body) is not { } asked || cap >= asked) return false;
        if (ownLimit)
        {
            if (_learned.Count >= MaxModels && !_learned.ContainsKey(model)) _learned.Clear();
            _learned[model] = cap;
        }
        Cap(body, cap);
        return true;
    }

    /// <summary>
    /// The output tokens a refusal says are allowed, when it is the output ask that is too large and the prompt
    /// fits: OpenAI (<c>supports at most N completion tokens</c>), Groq (<c>less than or equal to `N`</c>), DeepSeek
    /// (<c>valid range of max_tokens is [1, N]</c>), vLLM (<c>context length is C tokens and your request has P input
    /// tokens</c>, or <c>(P in the messages, M in the completion)</c>).
    /// </summary>
    public static int? CapFrom(string message) => Limit(message)?.Cap;

    /// <summary>The cap, and whether it is the model's own limit rather than the room this prompt leaves.</summary>
    private static (int Cap, bool OwnLimit)? Limit(string message)
    {
        // "temperature must be less than or equal to 2" is no output limit.
        if (!AboutOutput().IsMatch(message)) return null;
        if (AtMost().Match(message) is { Success: true } atMost && Parse(atMost.Groups[1].Value) is > 0 and var cap) return (cap, true);
        var context = ContextLength().Match(message);
        var prompt = PromptTokens().Match(message);
        if (context.Success && prompt.Success && Parse(context.Groups[1].Value) - Parse(prompt.Groups["prompt"].Value) is > 0 and var room)
            return (room, false);
        return null;
    }

    private static int? Asked(JsonObject body) =>
        (body["max_tokens"] ?? body["max_completion_tokens"])?.GetValue<int>();

    private static void Cap(JsonObject body, int cap)
    {
        foreach (var field in (string[])["max_tokens", "max_completion_tokens"])
            if (body[field] is { } node && node.GetValue<int>() > cap) body[field] = cap;
    }

    private static int Parse(string digits) => int.Parse(digits.Replace(",", "", StringComparison.Ordinal));

    [GeneratedRegex(@"(?:supports at most|less than or equal to|valid range of max_tokens is \[1,)\s*`?(\d[\d,]*)`?\]?\s*(?:completion tokens|\.|,|$|\s)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex AtMost();

    [GeneratedRegex(@"maximum context length is (\d[\d,]*) tokens", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ContextLength();

    /// <summary>Only in wording that also speaks of the completion: the prompt alone, with the output ask apart.</summary>
    [GeneratedRegex(@"request has (?<prompt>\d[\d,]*) input tokens|\((?<prompt>\d[\d,]*) in the messages, \d[\d,]* in the completion\)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex PromptTokens();

    [GeneratedRegex(@"max_tokens|max_completion_tokens|completion tokens|in the completion", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex AboutOutput();
}
