using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Switchboard.Anthropic;
using Switchboard.Config;
using Switchboard.Routing;

namespace Switchboard.Bench;

/// <summary>
/// What token counting adds to routing a large Claude Code request: a recorded main turn grown to ~400 KB with tool
/// results holding real source files (this repository's), counted cold (nothing seen before), warm (the same
/// history again, as every next turn resends it) and as the next turn (one new 10 KB tool result).
/// </summary>
internal static class TokenCountRun
{
    public static int Run(string repo)
    {
        var fixture = Path.Combine(repo, "tests", "Switchboard.Tests", "Fixtures", "requests", "main-turn.json");
        using var document = JsonDocument.Parse(File.ReadAllBytes(fixture));
        var baseBody = document.RootElement.GetProperty("body").GetRawText();
        var sources = Directory.EnumerateFiles(Path.Combine(repo, "src"), "*.cs", SearchOption.AllDirectories)
            .Where(path => !path.Contains("/obj/")).Order().Select(File.ReadAllText).ToList();

        var request = Grow(baseBody, sources, targetBytes: 400_000, out var bytes);
        var config = new SwitchboardConfig
        {
            Providers = new() { ["anthropic"] = new ProviderConfig { Type = "anthropic" } },
            Routes = new RoutesConfig { LongContext = new TargetList { Targets = ["anthropic:claude-long"] } },
        };
        TokenCounter.Count(JsonSerializer.Deserialize("""{"model":"x","messages":[{"role":"user","content":"warm up the vocabulary"}]}""", AnthropicJson.Default.MessagesRequest)!);

        var cold = Time(request(), config);
        var warm = Median(Enumerable.Range(0, 20).Select(_ => Time(request(), config)));
        var next = Grow(baseBody, [.. sources, string.Concat(Enumerable.Repeat("var next = Turn(42); // a new tool result\n", 250))], 410_000, out var nextBytes);
        var nextTurn = Time(next(), config);
        var tokens = TokenCounter.Count(request());

        Console.WriteLine($"request: {bytes / 1024} KB, {tokens} tokens (o200k)");
        Console.WriteLine($"route decision incl. token count, cold (nothing seen before): {cold:0.00} ms");
        Console.WriteLine($"route decision incl. token count, warm (history seen before): {warm:0.00} ms (median of 20)");
        Console.WriteLine($"route decision incl. token count, next turn (+{(nextBytes - bytes) / 1024} KB new): {nextTurn:0.00} ms");
        Console.WriteLine($"target: warm ≤ 3 ms {(warm <= 3 ? "PASS" : "MISS")}");
        return 0;
    }

    /// <summary>A request factory (parsing is not what is measured) for the fixture plus tool results up to the size.</summary>
    private static Func<MessagesRequest> Grow(string baseBody, IReadOnlyList<string> sources, int targetBytes, out int bytes)
    {
        var request = JsonSerializer.Deserialize(baseBody, AnthropicJson.Default.MessagesRequest)!;
        var size = Encoding.UTF8.GetByteCount(baseBody);
        var turn = 0;
        foreach (var source in sources)
        {
            if (size >= targetBytes) break;
            var id = $"toolu_bench_{turn++}";
            request.Messages!.Add(new Message { Role = "assistant", Content = MessageContent.FromBlocks([new ContentBlock { Type = "tool_use", Id = id, Name = "Read", Input = JsonDocument.Parse("{}").RootElement }]) });
            request.Messages!.Add(new Message { Role = "user", Content = MessageContent.FromBlocks([new ContentBlock { Type = "tool_result", ToolUseId = id, Content = MessageContent.FromText(source) }]) });
            size += source.Length + 200;
        }
        var json = JsonSerializer.Serialize(request, AnthropicJson.Default.MessagesRequest);
        bytes = Encoding.UTF8.GetByteCount(json);
        return () => JsonSerializer.Deserialize(json, AnthropicJson.Default.MessagesRequest)!;
    }

    /// <summary>The decision alone: the request is parsed before the clock starts, as the server has parsed it already.</summary>
    private static double Time(MessagesRequest request, SwitchboardConfig config)
    {
        var started = Stopwatch.GetTimestamp();
        Router.Decide(request, [], config);
        return Stopwatch.GetElapsedTime(started).TotalMilliseconds;
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted[sorted.Count / 2];
    }
}
