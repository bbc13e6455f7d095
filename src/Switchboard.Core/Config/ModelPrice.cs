namespace Switchboard.Config;

/// <summary>
/// What a model costs, in US dollars per million tokens (an entry of <c>prices</c> in config). Cache prices left
/// out are the input price.
/// </summary>
public sealed record ModelPrice
{
    public required double Input { get; init; }
    public required double Output { get; init; }
    public double? CacheRead { get; init; }
    public double? CacheWrite { get; init; }

    public static readonly ModelPrice Free = new() { Input = 0, Output = 0, CacheRead = 0, CacheWrite = 0 };

    /// <summary>The cost of the given token counts.</summary>
    public double CostOf(long input, long output, long cacheRead, long cacheWrite) =>
        (input * Input + output * Output + cacheRead * (CacheRead ?? Input) + cacheWrite * (CacheWrite ?? Input)) / 1_000_000;
}
