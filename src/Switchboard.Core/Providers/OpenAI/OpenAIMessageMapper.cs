using System.Text;
using System.Text.Json;
using Switchboard.Anthropic;

namespace Switchboard.Providers.OpenAI;

/// <summary>
/// Anthropic turns → chat-completions messages. System blocks become the system message (Claude Code's billing
/// attribution block dropped); <c>tool_use</c> becomes assistant <c>tool_calls</c>; each <c>tool_result</c> a
/// <c>role: "tool"</c> message placed right after the calls, as OpenAI requires, with images it held following in a
/// user message (tool messages carry text only) and errors kept visible to the model. A call left without a result
/// gets one saying so, and a result without its call becomes plain text: either would otherwise be a 400.
/// </summary>
internal sealed class OpenAIMessageMapper(OpenAISettings settings, ToolNameMap toolNames)
{
    private readonly List<ChatMessage> _messages = [];
    private readonly List<ChatMessage> _deferred = [];
    private readonly Dictionary<string, string> _callNames = new(StringComparer.Ordinal);
    private List<string>? _unanswered;

    public List<ChatMessage> Map(MessagesRequest request)
    {
        if (Content(request.System, forSystem: true) is { } system) _messages.Add(new ChatMessage { Role = settings.SystemRole, Content = system });
        foreach (var message in request.Messages ?? [])
        {
            switch (message.Role)
            {
                case "system":
                    AddSystemTurn(message.Content);
                    break;
                case "assistant":
                    AnswerTheUnanswered();
                    AddAssistant(message.Content);
                    break;
                default:
                    AddUser(message.Content);
                    break;
            }
        }
        AnswerTheUnanswered();
        if (settings.SystemOnlyFirst) MergeAdjacentUserTurns();
        return _messages;
    }

    private void AddSystemTurn(MessageContent? content)
    {
        if (Content(content, forSystem: true) is not { } text) return;
        ChatMessage turn = _messages.Count == 0 || !settings.SystemOnlyFirst
            ? new() { Role = settings.SystemRole, Content = text }
            : new() { Role = "user", Content = ChatContent.FromText("<system-reminder>\n" + Join(text) + "\n</system-reminder>") };
        // Nothing may come between tool calls and their results.
        if (_unanswered is not null) _deferred.Add(turn);
        else _messages.Add(turn);
    }

    private void AddAssistant(MessageContent? content)
    {
        var turn = AssistantTurn.Of(content);
        List<ChatToolCall>? calls = null;
        foreach (var block in turn.ToolUses)
        {
            var id = block.Id ?? "toolu_sb_" + Guid.NewGuid().ToString("N")[..20];
            _callNames[id] = block.Name!;
            (calls ??= []).Add(new ChatToolCall
            {
                Id = id,
                Function = new ChatFunctionCall { Name = toolNames.Shorten(block.Name!), Arguments = block.Input?.GetRawText() ?? "{}" },
            });
        }
        if (turn.Text.Length == 0 && calls is null) return;
        _messages.Add(new ChatMessage
        {
            Role = "assistant",
            Content = turn.Text.Length > 0 ? ChatContent.FromText(turn.Text) : null,
            ToolCalls = calls,
            ReasoningContent = settings.SendsReasoningBack && calls is not null && turn.Thinking.Length > 0 ? turn.Thinking : null,
        });
        _unanswered = calls?.Select(call => call.Id).ToList();
    }

    private void AddUser(MessageContent? content)
    {
        var parts = new List<ChatPart>();
        var resultImages = new List<ChatPart>();
        foreach (var block in content?.AsBlocks() ?? [])
        {
            if (block.Type == ContentBlockTypes.ToolResult) AddToolResult(block, parts, resultImages);
            else AddPart(block, parts);
        }
        AnswerTheUnanswered();
        parts.InsertRange(0, resultImages);
        if (parts.Count > 0) _messages.Add(new ChatMessage { Role = "user", Content = Compact(parts) });
    }

    private void AddToolResult(ContentBlock block, List<ChatPart> userParts, List<ChatPart> images)
    {
        var text = new StringBuilder();
        var name = block.ToolUseId is { } known && _callNames.TryGetValue(known, out var called) ? called : "a tool";
        foreach (var part in block.Content?.AsBlocks() ?? [])
        {
            if (part.Type == ContentBlockTypes.Image && ImageUrl(part) is { } url)
            {
                if (images.Count == 0) images.Add(ChatPart.ForText($"[the result of {name} included these images]"));
                images.Add(ChatPart.ForImage(url));
            }
            else if (!string.IsNullOrEmpty(part.Text))
            {
                if (text.Length > 0) text.Append('\n');
                text.Append(part.Text);
            }
        }
        var result = block.IsError == true ? "[tool error] " + text : text.ToString();
        if (block.ToolUseId is { } id && _unanswered?.Remove(id) == true)
            _messages.Add(new ChatMessage { Role = "tool", ToolCallId = id, Content = ChatContent.FromText(result) });
        else
            userParts.Add(ChatPart.ForText($"[result of an earlier tool call {block.ToolUseId}]\n{result}"));
    }

    private static void AddPart(ContentBlock block, List<ChatPart> parts)
    {
        switch (block.Type)
        {
            case ContentBlockTypes.Image:
                parts.Add(ImageUrl(block) is { } url ? ChatPart.ForImage(url) : ChatPart.ForText("[image omitted: only base64 and URL images can be sent]"));
                break;
            case ContentBlockTypes.Document when block.Source is { Type: "text", Data: { } data }:
                parts.Add(ChatPart.ForText(data));
                break;
            case ContentBlockTypes.Document:
                parts.Add(ChatPart.ForText("[document omitted: only text documents can be sent]"));
                break;
            default:
                if (!string.IsNullOrEmpty(block.Text)) parts.Add(ChatPart.ForText(block.Text, block.CacheControl));
                break;
        }
    }

    /// <summary>Tool calls the conversation never answered (an interrupted turn) still need a tool message each.</summary>
    private void AnswerTheUnanswered()
    {
        foreach (var id in _unanswered ?? [])
            _messages.Add(new ChatMessage { Role = "tool", ToolCallId = id, Content = ChatContent.FromText("[no result: the tool call was interrupted]") });
        _unanswered = null;
        _messages.AddRange(_deferred);
        _deferred.Clear();
    }

    private ChatContent? Content(MessageContent? content, bool forSystem)
    {
        var parts = new List<ChatPart>();
        foreach (var block in content?.AsBlocks() ?? [])
        {
            if (forSystem && (block.Type != ContentBlockTypes.Text || block.Text is null || SystemPrompt.IsAttribution(block.Text))) continue;
            AddPart(block, parts);
        }
        return parts.Count > 0 ? Compact(parts) : null;
    }

    /// <summary>A plain string unless images or cache marks need parts: some local servers take nothing else.</summary>
    private ChatContent Compact(List<ChatPart> parts)
    {
        if (!settings.ForwardsCacheControl) foreach (var part in parts) part.CacheControl = null;
        return parts.All(part => part.Type == "text" && part.CacheControl is null)
            ? ChatContent.FromText(string.Join("\n\n", parts.Select(part => part.Text)))
            : ChatContent.FromParts(parts);
    }

    private void MergeAdjacentUserTurns()
    {
        for (var i = _messages.Count - 1; i > 0; i--)
        {
            if (_messages[i].Role != "user" || _messages[i - 1].Role != "user") continue;
            var (first, second) = (_messages[i - 1].Content!, _messages[i].Content!);
            _messages[i - 1].Content = first.Text is not null && second.Text is not null
                ? ChatContent.FromText(first.Text + "\n\n" + second.Text)
                : ChatContent.FromParts([.. Parts(first), .. Parts(second)]);
            _messages.RemoveAt(i);
        }
    }

    private static IEnumerable<ChatPart> Parts(ChatContent content) => content.Parts ?? [ChatPart.ForText(content.Text ?? "")];

    private static string Join(ChatContent content) => content.Text ?? string.Join("\n\n", Parts(content).Select(part => part.Text));

    private static string? ImageUrl(ContentBlock block) => block.Source switch
    {
        { Type: "base64", Data: { Length: > 0 } data } source => $"data:{source.MediaType ?? "image/png"};base64,{data}",
        { Type: "url", Url: { Length: > 0 } url } => url,
        _ => null,
    };
}
