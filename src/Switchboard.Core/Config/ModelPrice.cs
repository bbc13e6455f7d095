namespace Switchboard.Config;

/// <summary>
/// What a model costs, in US dollars per million tokens (an entry of <c>prices</c> in config). Cache prices left
/// out are the input price. A model that charges more for long prompts (Claude Haiku 5.5 above 100k tokens, Gemini 2.5
/// Pro above 200k) has those rates in <see cref="LongPrompt"/>, applied to every token of such a request.
/// </summary>
public sealed record ModelPrice
{
    public required double Input { get; init; }
    public required double Output { get; init; }
    public double? CacheRead { get; init; }
    public double? CacheWrite { get; init; }

    /// <summary>A prompt (input, cache reads and cache writes together) over this many tokens is priced at <see cref="LongPrompt"/>.</summary>
    public long? LongPromptAbove { get; init; }
    public ModelPrice? LongPrompt { get; init; }

    public static readonly ModelPrice Free = new() { Input = 0, Output = 0, CacheRead = 0, CacheWrite = 0 };

    /// <summary>The cost of the given token counts.</summary>
    public double CostOf(long input, long output, long cacheRead, long cacheWrite) =>
        LongPrompt is { } longPrompt && input + cacheRead + cacheWrite > LongPromptAbove
            ? longPrompt.CostOf(input, output, cacheRead, cacheWrite)
            : (input * Input + output * Output + cacheRead * (CacheRead ?? Input) + cacheWrite * (CacheWrite ?? Input)) / 1_000_000;
}
