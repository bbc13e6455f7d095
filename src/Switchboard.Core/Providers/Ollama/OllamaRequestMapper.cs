using System.Text;
using System.Text.Json;
using Switchboard.Anthropic;

namespace Switchboard.Providers.Ollama;

/// <summary>
/// Anthropic Messages request → Ollama <c>/api/chat</c>. System blocks and mid-conversation system turns become
/// system messages; images go to <c>images</c>; <c>tool_use</c> becomes <c>tool_calls</c> (arguments as objects) and
/// each <c>tool_result</c> a <c>role: "tool"</c> message named after its call, errors kept visible to the model.
/// </summary>
internal static class OllamaRequestMapper
{
    /// <summary>Large enough for Claude Code's prompts, small enough for local memory when the model allows more.</summary>
    public const int DefaultContextCap = 65536;

    /// <summary>The <c>num_ctx</c> sent: the configured one, else the model's context length capped at <see cref="DefaultContextCap"/>.</summary>
    public static int? NumCtx(ModelCapabilities info, int? numCtx) =>
        numCtx ?? (info.ContextLength is { } length ? Math.Min(length, DefaultContextCap) : null);

    /// <summary>The window a request really gets: the <c>num_ctx</c> sent, never more than the model was built for.</summary>
    public static int? Window(ModelCapabilities info, int? numCtx) =>
        NumCtx(info, numCtx) is { } sent ? Math.Min(sent, info.ContextLength ?? sent) : null;

    public static OllamaChatRequest Map(MessagesRequest request, string model, ModelCapabilities info, bool think, int? numCtx)
    {
        var messages = new List<OllamaMessage>();
        if (SystemPrompt.Text(request.System) is { Length: > 0 } system) messages.Add(new OllamaMessage { Role = "system", Content = system });

        var toolNames = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var message in request.Messages ?? [])
        {
            switch (message.Role)
            {
                case "system":
                    messages.Add(new OllamaMessage { Role = "system", Content = SystemPrompt.Text(message.Content) });
                    break;
                case "assistant":
                    messages.Add(Assistant(message.Content, toolNames));
                    break;
                default:
                    AddUser(messages, message.Content, toolNames);
                    break;
            }
        }

        var toolsAllowed = request.ToolChoice?.Type != "none";
        return new OllamaChatRequest
        {
            Model = model,
            Messages = messages,
            Tools = toolsAllowed ? Tools(request.Tools) : null,
            Stream = request.IsStreaming,
            Think = think ? true : request.Thinking?.Type == "disabled" && info.Thinking ? false : null,
            Options = new OllamaOptions
            {
                NumCtx = NumCtx(info, numCtx),
                NumPredict = request.MaxTokens,
                Temperature = request.Temperature,
                TopP = request.TopP,
                TopK = request.TopK,
                Stop = request.StopSequences is { Count: > 0 } stops ? stops : null,
            },
        };
    }

    private static OllamaMessage Assistant(MessageContent? content, Dictionary<string, string> toolNames)
    {
        var turn = AssistantTurn.Of(content);
        foreach (var call in turn.ToolUses)
            if (call.Id is { } id) toolNames[id] = call.Name!;
        return new OllamaMessage
        {
            Role = "assistant",
            Content = turn.Text,
            Thinking = turn.Thinking.Length > 0 ? turn.Thinking : null,
            ToolCalls = turn.ToolUses.Count == 0 ? null : turn.ToolUses.Select(call => new OllamaToolCall
            {
                Id = call.Id,
                Function = new OllamaFunctionCall { Name = call.Name!, Arguments = call.Input ?? JsonValues.EmptyObject },
            }).ToList(),
        };
    }

    private static void AddUser(List<OllamaMessage> messages, MessageContent? content, Dictionary<string, string> toolNames)
    {
        var text = new StringBuilder();
        List<string>? images = null;
        foreach (var block in content?.AsBlocks() ?? [])
        {
            switch (block.Type)
            {
                case ContentBlockTypes.ToolResult:
                    // Tool results answer the previous turn's calls, so they go first, each as its own message.
                    messages.Add(ToolResult(block, toolNames));
                    break;
                case ContentBlockTypes.Image when ImageData(block) is { } data:
                    (images ??= []).Add(data);
                    break;
                case ContentBlockTypes.Image:
                    Append(text, "[image omitted: only inline base64 images reach Ollama]");
                    break;
                case ContentBlockTypes.Document when block.Source?.Type == "text":
                    Append(text, block.Source.Data);
                    break;
                case ContentBlockTypes.Document:
                    Append(text, "[document omitted]");
                    break;
                default:
                    Append(text, block.Text);
                    break;
            }
        }
        if (text.Length > 0 || images is not null)
            messages.Add(new OllamaMessage { Role = "user", Content = text.ToString(), Images = images });
    }

    private static OllamaMessage ToolResult(ContentBlock block, Dictionary<string, string> toolNames)
    {
        var text = new StringBuilder();
        List<string>? images = null;
        foreach (var part in block.Content?.AsBlocks() ?? [])
        {
            if (part.Type == ContentBlockTypes.Image && ImageData(part) is { } data) (images ??= []).Add(data);
            else Append(text, part.Text);
        }
        var content = block.IsError == true ? "[tool error] " + text : text.ToString();
        return new OllamaMessage
        {
            Role = "tool",
            Content = content,
            Images = images,
            ToolName = block.ToolUseId is { } id && toolNames.TryGetValue(id, out var name) ? name : null,
        };
    }

    private static List<OllamaTool>? Tools(List<Tool>? tools)
    {
        // Server tools (web search and the like) have no schema and only Anthropic can run them.
        var functions = tools?.Where(tool => tool.Name is not null && tool.InputSchema is not null)
            .Select(tool => new OllamaTool
            {
                Function = new OllamaFunction { Name = tool.Name!, Description = tool.Description, Parameters = tool.InputSchema },
            })
            .ToList();
        return functions is { Count: > 0 } ? functions : null;
    }

    private static string? ImageData(ContentBlock block) =>
        block.Source is { Type: "base64", Data: { Length: > 0 } data } ? data : null;

    private static void Append(StringBuilder text, string? value)
    {
        if (string.IsNullOrEmpty(value)) return;
        if (text.Length > 0) text.Append("\n\n");
        text.Append(value);
    }

}
