using Switchboard.Config;

namespace Switchboard.Ledger;

/// <summary>
/// List prices in USD per million tokens (input, output, cache read, cache write), as the vendors published them in
/// late 2025. Matched by the longest prefix of a normalized model name (<see cref="PriceTable.Normalize"/>), so dated
/// and regional variants share their family's price. Estimates: <c>prices</c> in config overrides any of them.
/// </summary>
internal static class BuiltInPrices
{
    private static ModelPrice P(double input, double output, double cacheRead, double cacheWrite) =>
        new() { Input = input, Output = output, CacheRead = cacheRead, CacheWrite = cacheWrite };

    public static readonly IReadOnlyList<(string Prefix, ModelPrice Price)> Table =
    [
        // Anthropic; cache writes at the 5-minute rate. Unknown versions fall back to their family's latest price.
        ("claude-opus-4-5", P(5, 25, 0.50, 6.25)),
        ("claude-opus-4-1", P(15, 75, 1.50, 18.75)),
        ("claude-opus-4", P(15, 75, 1.50, 18.75)),
        ("claude-3-opus", P(15, 75, 1.50, 18.75)),
        ("claude-opus", P(5, 25, 0.50, 6.25)),
        ("claude-sonnet", P(3, 15, 0.30, 3.75)),
        ("claude-3-7-sonnet", P(3, 15, 0.30, 3.75)),
        ("claude-3-5-sonnet", P(3, 15, 0.30, 3.75)),
        ("claude-haiku", P(1, 5, 0.10, 1.25)),
        ("claude-3-5-haiku", P(0.80, 4, 0.08, 1)),
        ("claude-3-haiku", P(0.25, 1.25, 0.03, 0.30)),
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
