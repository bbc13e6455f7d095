using System.Collections.Concurrent;
using System.IO.Hashing;
using System.Runtime.InteropServices;
using System.Text.Json;
using Microsoft.ML.Tokenizers;
using Switchboard.Anthropic;

namespace Switchboard.Routing;

/// <summary>
/// Counts a request's input tokens locally with a real BPE tokenizer (o200k), over system, messages, tools and
/// images. Claude Code resends the whole conversation every turn, so each piece of text is counted once and
/// remembered by its hash: a 400 KB request whose history was seen before costs a hash pass, not a tokenization.
/// Counts are estimates for non-Anthropic targets (every model family tokenizes a little differently).
/// </summary>
public static class TokenCounter
{
    /// <summary>What Anthropic charges for an image it cannot size: its own cap for a full-size image.</summary>
    private const int ImageTokens = 1600;

    /// <summary>Role and framing tokens per message, as the APIs count them.</summary>
    private const int PerMessage = 3;

    private const int CacheLimit = 200_000;

    private static readonly Lazy<Tokenizer> Encoder = new(() => TiktokenTokenizer.CreateForEncoding("o200k_base"));
    private static readonly ConcurrentDictionary<ulong, int> Counted = new();

    /// <summary>Loads the vocabulary in the background, so the first request does not wait for it.</summary>
    public static void Warm() => ThreadPool.QueueUserWorkItem(static _ => _ = Encoder.Value);

    public static int Count(MessagesRequest request)
    {
        var total = 0;
        foreach (var block in request.System?.AsBlocks() ?? []) total += Block(block);
        foreach (var message in request.Messages ?? [])
        {
            total += PerMessage;
            foreach (var block in message.Content?.AsBlocks() ?? []) total += Block(block);
        }
        foreach (var tool in request.Tools ?? [])
        {
            total += Text(tool.Name) + Text(tool.Description);
            if (tool.InputSchema is { } schema) total += Json(schema);
        }
        return total;
    }

    private static int Block(ContentBlock block) => block.Type switch
    {
        ContentBlockTypes.Text => Text(block.Text),
        ContentBlockTypes.Thinking => Text(block.Thinking),
        ContentBlockTypes.ToolUse => Text(block.Name) + (block.Input is { } input ? Json(input) : 0),
        ContentBlockTypes.ToolResult => (block.Content?.AsBlocks() ?? []).Sum(Block),
        ContentBlockTypes.Image => ImageTokens,
        ContentBlockTypes.Document when block.Source is { Type: "text" } source => Text(source.Data),
        // A PDF costs per page; its base64 size is the only measure at hand (about 3 KB of base64 a page, ~1500 tokens).
        ContentBlockTypes.Document when block.Source?.Data is { } data => Math.Max(ImageTokens, data.Length / 2),
        _ => 0,
    };

    private static int Json(JsonElement element) => Text(element.GetRawText());

    public static int Text(string? text)
    {
        if (string.IsNullOrEmpty(text)) return 0;
        var key = XxHash3.HashToUInt64(MemoryMarshal.AsBytes(text.AsSpan()));
        if (Counted.TryGetValue(key, out var known)) return known;
        var count = Encoder.Value.CountTokens(text);
        if (Counted.Count >= CacheLimit) Counted.Clear();
        Counted[key] = count;
        return count;
    }
}
