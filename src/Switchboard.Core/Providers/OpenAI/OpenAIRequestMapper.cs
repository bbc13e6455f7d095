using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Switchboard.Anthropic;

namespace Switchboard.Providers.OpenAI;

/// <summary>
/// Anthropic Messages request → chat-completions request, as the settings for this server and model say. What only
/// Anthropic understands (<c>context_management</c>, <c>output_config</c>, server tools, cache marks where the
/// server has no use for them) is not sent.
/// </summary>
internal static class OpenAIRequestMapper
{
    public static ChatRequest Map(MessagesRequest request, OpenAISettings settings, ToolNameMap toolNames)
    {
        var tools = Tools(request.Tools, settings, toolNames);
        var chat = new ChatRequest
        {
            Model = settings.Model,
            Messages = new OpenAIMessageMapper(settings, toolNames).Map(request),
            Tools = tools,
            ToolChoice = tools is null ? null : ToolChoice(request.ToolChoice, toolNames),
            ParallelToolCalls = tools is not null && request.ToolChoice?.DisableParallelToolUse == true ? false : null,
            MaxTokens = settings.UsesMaxCompletionTokens ? null : request.MaxTokens,
            MaxCompletionTokens = settings.UsesMaxCompletionTokens ? request.MaxTokens : null,
            Temperature = settings.FixedSampling ? null : request.Temperature,
            TopP = settings.FixedSampling ? null : request.TopP,
            TopK = settings.AcceptsTopK ? request.TopK : null,
            Stop = settings.FixedSampling || request.StopSequences is not { Count: > 0 } stops ? null : stops,
            User = request.Metadata?.UserId is { Length: > 0 } user ? Pseudonym(user) : null,
            Stream = request.IsStreaming,
            StreamOptions = request.IsStreaming ? new ChatStreamOptions { IncludeUsage = true } : null,
        };
        ThinkingMapper.Apply(request, settings.Reasoning, chat);
        return chat;
    }

    private static List<ChatTool>? Tools(List<Tool>? tools, OpenAISettings settings, ToolNameMap toolNames)
    {
        // Server tools (web search and the like) have no schema and only Anthropic can run them.
        var functions = tools?.Where(tool => tool.Name is not null && tool.InputSchema is not null)
            .Select(tool => new ChatTool
            {
                Function = new ChatFunction
                {
                    Name = toolNames.Shorten(tool.Name!),
                    Description = tool.Description,
                    Parameters = ToolSchemaCleaner.Clean(tool.InputSchema!.Value, settings.DroppedSchemaKeywords),
                },
            })
            .ToList();
        return functions is { Count: > 0 } ? functions : null;
    }

    /// <summary>auto is the default and goes unsaid: some servers refuse it unless started with auto tool choice.</summary>
    private static JsonNode? ToolChoice(ToolChoice? choice, ToolNameMap toolNames) => choice?.Type switch
    {
        "any" => "required",
        "none" => "none",
        "tool" when choice.Name is { } name => new JsonObject
        {
            ["type"] = "function",
            ["function"] = new JsonObject { ["name"] = toolNames.Shorten(name) },
        },
        _ => null,
    };

    /// <summary>
    /// Claude Code's user_id holds its device and session ids; the upstream gets a stable hash of it, enough for its
    /// abuse tracking and nothing more.
    /// </summary>
    private static string Pseudonym(string userId) =>
        "sb-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(userId)))[..32];
}
