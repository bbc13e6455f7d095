using Switchboard.Config;

namespace Switchboard.Ledger;

/// <summary>
/// List prices in USD per million tokens (input, output, cache read, cache write at the 5-minute rate). Anthropic's
/// from platform.claude.com's model pages as of November 2026 (Sonnet 5.5's cache read as cut on 2026-10-07, Fable
/// 5.2's as announced on 2026-11-09; Mythos priced as the Fable of its version); the others as published in late 2025.
/// Matched by the longest prefix of a normalized model name (<see cref="PriceTable.Normalize"/>), so dated and
/// regional variants share their version's price, and a bare family name its newest model's. Estimates: <c>prices</c>
/// in config overrides any of them.
/// </summary>
internal static class BuiltInPrices
{
    private static ModelPrice P(double input, double output, double cacheRead, double cacheWrite, long? longPromptAbove = null, ModelPrice? longPrompt = null) =>
        new() { Input = input, Output = output, CacheRead = cacheRead, CacheWrite = cacheWrite, LongPromptAbove = longPromptAbove, LongPrompt = longPrompt };

    private static readonly ModelPrice Fable52 = P(8, 40, 0.20, 10);
    private static readonly ModelPrice Fable51 = P(10, 50, 0.25, 12.50);
    private static readonly ModelPrice Fable5 = P(10, 50, 1, 12.50);
    private static readonly ModelPrice Opus55 = P(4, 20, 0.20, 5);
    private static readonly ModelPrice Opus45To5 = P(5, 25, 0.50, 6.25);
    private static readonly ModelPrice Opus4 = P(15, 75, 1.50, 18.75);
    private static readonly ModelPrice Sonnet55 = P(2, 10, 0.10, 2.50);
    private static readonly ModelPrice Sonnet4 = P(3, 15, 0.30, 3.75);
    private static readonly ModelPrice Haiku55 = P(0.10, 0.50, 0.01, 0.125, longPromptAbove: 100_000, longPrompt: P(0.50, 2.50, 0.05, 0.625));
    private static readonly ModelPrice Haiku35 = P(0.80, 4, 0.08, 1);

    public static readonly IReadOnlyList<(string Prefix, ModelPrice Price)> Table =
    [
        // Anthropic. A family name alone, or a version not listed here, falls back to the family's newest price.
        ("claude-fable-5-2", Fable52),
        ("claude-fable-5-1", Fable51),
        ("claude-fable-5", Fable5),
        ("claude-fable", Fable52),
        ("claude-mythos-5-2", Fable52),
        ("claude-mythos-5-1", Fable51),
        ("claude-mythos-5", Fable5),
        ("claude-mythos", Fable52),
        ("claude-opus-5-5", Opus55),
        ("claude-opus-5", Opus45To5),
        ("claude-opus-4-8", Opus45To5),
        ("claude-opus-4-7", Opus45To5),
        ("claude-opus-4-6", Opus45To5),
        ("claude-opus-4-5", Opus45To5),
        ("claude-opus-4", Opus4),
        ("claude-3-opus", Opus4),
        ("claude-opus", Opus55),
        ("claude-sonnet-5-5", Sonnet55),
        ("claude-sonnet-5", P(2, 10, 0.20, 2.50)),
        ("claude-sonnet-4", Sonnet4),
        ("claude-sonnet-3-7", Sonnet4),
        ("claude-3-7-sonnet", Sonnet4),
        ("claude-3-5-sonnet", Sonnet4),
        ("claude-sonnet", Sonnet55),
        ("claude-haiku-5-5", Haiku55),
        ("claude-haiku-4-5", P(1, 5, 0.10, 1.25)),
        ("claude-haiku-3-5", Haiku35),
        ("claude-3-5-haiku", Haiku35),
        ("claude-3-haiku", P(0.25, 1.25, 0.03, 0.30)),
        ("claude-haiku", Haiku55),
        // OpenAI; cached input is the cache-read price, writes cost the input price.
        ("gpt-5-nano", P(0.05, 0.40, 0.005, 0.05)),
        ("gpt-5-mini", P(0.25, 2, 0.025, 0.25)),
        ("gpt-5", P(1.25, 10, 0.125, 1.25)),
        ("gpt-4.1-nano", P(0.10, 0.40, 0.025, 0.10)),
        ("gpt-4.1-mini", P(0.40, 1.60, 0.10, 0.40)),
        ("gpt-4.1", P(2, 8, 0.50, 2)),
        ("gpt-4o-mini", P(0.15, 0.60, 0.075, 0.15)),
        ("gpt-4o", P(2.50, 10, 1.25, 2.50)),
        ("o4-mini", P(1.10, 4.40, 0.275, 1.10)),
        ("o3-mini", P(1.10, 4.40, 0.55, 1.10)),
        ("o3", P(2, 8, 0.50, 2)),
        // Google Gemini (prompts up to 200k tokens).
        ("gemini-2.5-pro", P(1.25, 10, 0.125, 1.25)),
        ("gemini-2.5-flash-lite", P(0.10, 0.40, 0.01, 0.10)),
        ("gemini-2.5-flash", P(0.30, 2.50, 0.03, 0.30)),
        ("gemini-2.0-flash", P(0.10, 0.40, 0.025, 0.10)),
        // DeepSeek (cache hit / miss).
        ("deepseek-chat", P(0.28, 0.42, 0.028, 0.28)),
        ("deepseek-reasoner", P(0.28, 0.42, 0.028, 0.28)),
    ];
}
