using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Switchboard.Tests.EndToEnd;

namespace Switchboard.Tests.Infrastructure;

/// <summary>
/// A scripted Anthropic that checks a conversation the way the real API does and answers 400 in its words when it
/// would: tool-use ids outside <c>^[a-zA-Z0-9_-]+$</c> or over 64 characters, an id used twice, calls without results
/// and results without calls, thinking (or redacted thinking) it did not sign, an empty turn, and, with thinking
/// enabled, a continued tool loop whose assistant turn does not open with thinking. It signs the thinking it sends
/// (whenever the request asks for thinking), so its own turns pass when they come back.
/// </summary>
public sealed partial class StrictAnthropic : IAsyncDisposable
{
    private readonly ScriptedUpstream _server;
    private readonly ConcurrentDictionary<string, byte> _issued = new(StringComparer.Ordinal);

    private StrictAnthropic(ScriptedUpstream server) => _server = server;

    public string BaseUrl => _server.BaseUrl;
    public ConcurrentQueue<RecordedRequest> Requests => _server.Requests;

    /// <summary>Every 400 it answered, in order.</summary>
    public ConcurrentQueue<string> Rejections { get; } = new();

    /// <summary>The reply to an accepted Messages request.</summary>
    public Func<Conversation, ScriptedAnthropicModel.Reply> Decide { get; set; } = _ => new ScriptedAnthropicModel.Text("ok");

    public IEnumerable<RecordedRequest> MessageRequests => Requests.Where(r => r.Path == "/v1/messages");

    public static async Task<StrictAnthropic> StartAsync()
    {
        StrictAnthropic? strict = null;
        var server = await ScriptedUpstream.StartAsync((context, request) => strict!.HandleAsync(context, request));
        strict = new StrictAnthropic(server);
        return strict;
    }

    /// <summary>A signature only this server issued, shaped like Anthropic's (long base64).</summary>
    public string Sign()
    {
        var signature = Convert.ToBase64String(RandomNumberGenerator.GetBytes(96));
        _issued[signature] = 0;
        return signature;
    }

    private async Task HandleAsync(HttpContext context, RecordedRequest request)
    {
        using var body = JsonDocument.Parse(request.Body);
        if (Check(body.RootElement) is { } problem)
        {
            Rejections.Enqueue(problem);
            await AnthropicWire.WriteJsonAsync(context, AnthropicWire.Error("invalid_request_error", problem), 400);
            return;
        }
        var thinks = body.RootElement.TryGetProperty("thinking", out var thinking) &&
                     thinking.GetProperty("type").GetString() is "enabled" or "adaptive";
        var model = new ScriptedAnthropicModel { Decide = Decide, SignThinking = thinks ? Sign : null };
        await model.HandleAsync(context, request);
    }

    [GeneratedRegex("^[a-zA-Z0-9_-]+$")]
    private static partial Regex IdPattern();

    /// <summary>The real API's complaint about <paramref name="request"/>, or null when it would take it.</summary>
    public string? Check(JsonElement request)
    {
        var messages = request.GetProperty("messages").EnumerateArray().ToList();
        var uses = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < messages.Count; i++)
        {
            var role = messages[i].GetProperty("role").GetString();
            var blocks = Blocks(messages[i]);
            if (role == "assistant" && blocks.Count == 0 && i < messages.Count - 1)
                return $"messages.{i}: all messages must have non-empty content except for the optional final assistant message";
            for (var j = 0; j < blocks.Count; j++)
            {
                var block = blocks[j];
                var at = $"messages.{i}.content.{j}";
                switch (Type(block))
                {
                    case "text" when string.IsNullOrWhiteSpace(block.GetProperty("text").GetString()):
                        return "messages: text content blocks must contain non-whitespace text";
                    case "tool_use":
                        var id = block.GetProperty("id").GetString() ?? "";
                        if (!IdPattern().IsMatch(id)) return $"{at}.tool_use.id: String should match pattern '^[a-zA-Z0-9_-]+$'";
                        if (id.Length > 64) return $"{at}.tool_use.id: String should have at most 64 characters";
                        if (!uses.Add(id)) return $"{at}: `tool_use` ids must be unique";
                        break;
                    case "tool_result" when !IdPattern().IsMatch(block.GetProperty("tool_use_id").GetString() ?? ""):
                        return $"{at}.tool_result.tool_use_id: String should match pattern '^[a-zA-Z0-9_-]+$'";
                    case "thinking" when !_issued.ContainsKey(block.GetProperty("signature").GetString() ?? ""):
                        return $"{at}: Invalid `signature` in `thinking` block";
                    case "redacted_thinking" when !_issued.ContainsKey(block.GetProperty("data").GetString() ?? ""):
                        return $"{at}: Invalid `data` in `redacted_thinking` block";
                }
            }
            if (Pairing(messages, i) is { } unpaired) return unpaired;
        }
        return ContinuedLoopWithoutThinking(request, messages);
    }

    private static string? Pairing(List<JsonElement> messages, int i)
    {
        var role = messages[i].GetProperty("role").GetString();
        if (role == "assistant")
        {
            var calls = Blocks(messages[i]).Where(b => Type(b) == "tool_use").Select(b => b.GetProperty("id").GetString()!).ToList();
            var next = Neighbour(messages, i, +1);
            if (calls.Count == 0 || next < 0) return null;
            var answered = Blocks(messages[next]).Where(b => Type(b) == "tool_result").Select(b => b.GetProperty("tool_use_id").GetString()).ToHashSet();
            var missing = calls.Where(call => !answered.Contains(call)).ToList();
            return missing.Count == 0 ? null
                : $"messages.{next}: `tool_use` ids were found without `tool_result` blocks immediately after: {string.Join(", ", missing)}. " +
                  "Each `tool_use` block must have a corresponding `tool_result` block in the next message.";
        }
        if (role != "user") return null;
        var previous = Neighbour(messages, i, -1);
        var known = previous >= 0 && messages[previous].GetProperty("role").GetString() == "assistant"
            ? Blocks(messages[previous]).Where(b => Type(b) == "tool_use").Select(b => b.GetProperty("id").GetString()).ToHashSet()
            : [];
        var blocks = Blocks(messages[i]);
        for (var j = 0; j < blocks.Count; j++)
            if (Type(blocks[j]) == "tool_result" && !known.Contains(blocks[j].GetProperty("tool_use_id").GetString()))
                return $"messages.{i}.content.{j}: unexpected `tool_use_id` found in `tool_result` blocks: {blocks[j].GetProperty("tool_use_id").GetString()}. " +
                       "Each `tool_result` block must have a corresponding `tool_use` block in the previous message.";
        return null;
    }

    private static string? ContinuedLoopWithoutThinking(JsonElement request, List<JsonElement> messages)
    {
        if (!request.TryGetProperty("thinking", out var thinking) || thinking.GetProperty("type").GetString() != "enabled") return null;
        var last = Neighbour(messages, messages.Count, -1);
        if (last < 0 || !Blocks(messages[last]).Any(b => Type(b) == "tool_result")) return null;
        var turn = Neighbour(messages, last, -1);
        if (turn < 0 || Blocks(messages[turn]).FirstOrDefault() is var first && Type(first) is "thinking" or "redacted_thinking") return null;
        return $"messages.{turn}.content.0.type: Expected `thinking` or `redacted_thinking`, but found `{Type(first)}`. When `thinking` is enabled, " +
               "a final `assistant` message must start with a thinking block (preceeding the lastmost set of `tool_use` and `tool_result` blocks). " +
               "We recommend you include thinking blocks from previous turns. To avoid this requirement, disable `thinking`.";
    }

    /// <summary>The nearest non-system turn before (-1) or after (+1) <paramref name="index"/>, or -1.</summary>
    private static int Neighbour(List<JsonElement> messages, int index, int step)
    {
        for (var i = index + step; i >= 0 && i < messages.Count; i += step)
            if (messages[i].GetProperty("role").GetString() != "system") return i;
        return -1;
    }

    private static List<JsonElement> Blocks(JsonElement message) =>
        message.GetProperty("content") is { ValueKind: JsonValueKind.Array } content ? content.EnumerateArray().ToList() : [];

    private static string? Type(JsonElement block) =>
        block.ValueKind == JsonValueKind.Object && block.TryGetProperty("type", out var type) ? type.GetString() : null;

    public ValueTask DisposeAsync() => _server.DisposeAsync();

    /// <summary>A Switchboard config with this server as the default <c>anthropic</c> provider, plus <paramref name="otherProviders"/>.</summary>
    public string Config(string otherProviders = "") => $$"""
        {
          "defaultProvider": "anthropic",
          "providers": {
            "anthropic": { "type": "anthropic", "baseUrl": "{{BaseUrl}}" }{{otherProviders}}
          }
        }
        """;
}
