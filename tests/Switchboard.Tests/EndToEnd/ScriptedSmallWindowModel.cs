using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Switchboard.Tests.Infrastructure;

namespace Switchboard.Tests.EndToEnd;

/// <summary>
/// A scripted Ollama chat model with a small window, for <see cref="ScriptedOllama.Chat"/>. Its "tokenizer" is four
/// characters of the <c>messages</c> array a token; it reports that count as <c>prompt_eval_count</c>, the way a real
/// model reports a large prompt, and records a prompt over the <c>num_ctx</c> it was sent (real Ollama answers one
/// after silently dropping its start, so the test asks the record rather than waiting for an error). It answers Claude Code's
/// compaction request with a summary, and every other request by echoing the newest turn's code word.
/// </summary>
public sealed class ScriptedSmallWindowModel
{
    /// <summary>The instruction Claude Code 2.1.332 sends (in the newest user turn) when it compacts a conversation.</summary>
    public const string CompactionInstruction = "Your task is to create a detailed summary of the conversation so far";

    public const string SummaryText = "E2E-SUMMARY: the user sent numbered filler turns, each answered with its code word.";

    public sealed record Seen(int Tokens, int Window, bool IsCompaction, string Newest);

    public ConcurrentQueue<Seen> Requests { get; } = new();

    public IEnumerable<Seen> OverWindow => Requests.Where(r => r.Tokens > r.Window);

    public IReadOnlyList<string> Answer(JsonObject chat)
    {
        var messages = chat["messages"]!.AsArray();
        var tokens = messages.ToJsonString().Length / 4;
        var window = chat["options"]?["num_ctx"]?.GetValue<int>() ?? int.MaxValue;
        var newest = messages.LastOrDefault(m => m!["role"]!.GetValue<string>() == "user")?["content"]?.GetValue<string>() ?? "";
        var isCompaction = newest.Contains(CompactionInstruction, StringComparison.Ordinal);
        Requests.Enqueue(new Seen(tokens, window, isCompaction, newest));
        var reply = isCompaction ? $"<analysis>filler turns</analysis>\n<summary>{SummaryText}</summary>" : Echo(newest);
        return [ScriptedOllama.Text(reply, chat["model"]!.GetValue<string>()), ScriptedOllama.Done(prompt: tokens, eval: 20)];
    }

    /// <summary>"Turn N: … E2E-TURN-N …" in the newest turn becomes "noted E2E-TURN-N".</summary>
    private static string Echo(string newest)
    {
        var at = newest.LastIndexOf("E2E-TURN-", StringComparison.Ordinal);
        return at < 0 ? "ok" : "noted " + new string(newest[at..].TakeWhile(c => c != ' ' && c != '.').ToArray());
    }
}
