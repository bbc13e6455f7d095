using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Switchboard.Tests.Infrastructure;

namespace Switchboard.Tests.EndToEnd;

/// <summary>
/// Plays a Claude model for end-to-end runs: reads the conversation Claude Code sent and answers in Anthropic's wire
/// format, streamed or not. <see cref="Decide"/> picks the reply from the conversation so far.
/// </summary>
public sealed class ScriptedAnthropicModel
{
    public abstract record Reply;
    public sealed record Text(string Value) : Reply;
    public sealed record ToolCall(string Id, string Name, string InputJson) : Reply;

    public required Func<Conversation, Reply> Decide { get; init; }

    /// <summary>
    /// When set, each reply opens with a thinking block signed with what this returns; an empty signature is not sent
    /// at all, as Ollama's Anthropic endpoint sends thinking.
    /// </summary>
    public Func<string>? SignThinking { get; init; }

    public async Task HandleAsync(HttpContext context, RecordedRequest request)
    {
        if (!request.Path.EndsWith("/v1/messages", StringComparison.Ordinal))
        {
            // count_tokens and anything else small: a plausible answer
            await AnthropicWire.WriteJsonAsync(context, """{"input_tokens":100}""");
            return;
        }
        using var body = JsonDocument.Parse(request.Body);
        var conversation = new Conversation(body.RootElement.Clone());
        var reply = Decide(conversation);
        var model = conversation.Model;
        var signature = SignThinking?.Invoke();
        if (conversation.Streaming) await AnthropicWire.WriteSseAsync(context, Stream(model, reply, signature));
        else await AnthropicWire.WriteJsonAsync(context, Message(model, reply, signature));
    }

    private static string Stream(string model, Reply reply, string? signature)
    {
        var sse = new StringBuilder(AnthropicWire.MessageStart(model, 50));
        var index = 0;
        if (signature is not null)
        {
            sse.Append(Start(index, """{"type":"thinking","thinking":"","signature":""}"""));
            sse.Append(Delta(index, """{"type":"thinking_delta","thinking":"Scripted thought."}"""));
            if (signature.Length > 0) sse.Append(Delta(index, "{\"type\":\"signature_delta\",\"signature\":\"" + signature + "\"}"));
            sse.Append(Stop(index++));
        }
        switch (reply)
        {
            case Text text:
                sse.Append(Start(index, """{"type":"text","text":""}"""));
                // Two deltas, so the client has to join them
                var half = text.Value.Length / 2;
                foreach (var part in new[] { text.Value[..half], text.Value[half..] })
                    sse.Append(Delta(index, "{\"type\":\"text_delta\",\"text\":" + JsonSerializer.Serialize(part) + "}"));
                break;
            case ToolCall call:
                sse.Append(Start(index, "{\"type\":\"tool_use\",\"id\":\"" + call.Id + "\",\"name\":\"" + call.Name + "\",\"input\":{}}"));
                var cut = call.InputJson.Length / 2;
                foreach (var part in new[] { call.InputJson[..cut], call.InputJson[cut..] })
                    sse.Append(Delta(index, "{\"type\":\"input_json_delta\",\"partial_json\":" + JsonSerializer.Serialize(part) + "}"));
                break;
        }
        sse.Append(Stop(index));
        var stop = reply is ToolCall ? "tool_use" : "end_turn";
        sse.Append(AnthropicWire.Event("message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"" + stop + "\",\"stop_sequence\":null},\"usage\":{\"output_tokens\":12}}"));
        sse.Append(AnthropicWire.Event("message_stop", """{"type":"message_stop"}"""));
        return sse.ToString();
    }

    private static string Start(int index, string block) =>
        AnthropicWire.Event("content_block_start", "{\"type\":\"content_block_start\",\"index\":" + index + ",\"content_block\":" + block + "}");

    private static string Delta(int index, string delta) =>
        AnthropicWire.Event("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":" + index + ",\"delta\":" + delta + "}");

    private static string Stop(int index) => AnthropicWire.Event("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":" + index + "}");

    private static string Message(string model, Reply reply, string? signature)
    {
        var content = reply switch
        {
            Text text => "{\"type\":\"text\",\"text\":" + JsonSerializer.Serialize(text.Value) + "}",
            ToolCall call => "{\"type\":\"tool_use\",\"id\":\"" + call.Id + "\",\"name\":\"" + call.Name + "\",\"input\":" + call.InputJson + "}",
            _ => throw new InvalidOperationException(),
        };
        if (signature is not null) content = "{\"type\":\"thinking\",\"thinking\":\"Scripted thought.\",\"signature\":\"" + signature + "\"}," + content;
        var stop = reply is ToolCall ? "tool_use" : "end_turn";
        return "{\"id\":\"msg_e2e\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"" + model + "\",\"content\":[" + content +
               "],\"stop_reason\":\"" + stop + "\",\"stop_sequence\":null,\"usage\":{\"input_tokens\":50,\"output_tokens\":12}}";
    }
}

/// <summary>The request Claude Code sent, with the questions a scripted model asks of it.</summary>
public sealed class Conversation(JsonElement body)
{
    public JsonElement Body => body;
    public string Model => body.GetProperty("model").GetString() ?? "claude";
    public bool Streaming => body.TryGetProperty("stream", out var stream) && stream.ValueKind == JsonValueKind.True;
    public bool HasTools => body.TryGetProperty("tools", out var tools) && tools.GetArrayLength() > 0;

    /// <summary>The tool results in the newest user turn.</summary>
    public IReadOnlyList<JsonElement> LatestToolResults()
    {
        var messages = body.GetProperty("messages").EnumerateArray().ToList();
        var lastUser = messages.LastOrDefault(m => m.GetProperty("role").GetString() == "user");
        if (lastUser.ValueKind != JsonValueKind.Object || lastUser.GetProperty("content").ValueKind != JsonValueKind.Array) return [];
        return lastUser.GetProperty("content").EnumerateArray()
            .Where(block => block.GetProperty("type").GetString() == "tool_result").ToList();
    }

    /// <summary>All text the user typed or was shown, for finding the prompt.</summary>
    public string UserText => string.Join("\n", body.GetProperty("messages").EnumerateArray()
        .Where(m => m.GetProperty("role").GetString() == "user")
        .SelectMany(m => m.GetProperty("content").ValueKind == JsonValueKind.String
            ? [m.GetProperty("content").GetString()!]
            : m.GetProperty("content").EnumerateArray()
                .Where(b => b.GetProperty("type").GetString() == "text").Select(b => b.GetProperty("text").GetString()!)));
}
