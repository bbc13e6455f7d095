using System.Text.Json;
using Switchboard.Anthropic;

namespace Switchboard.Providers.Bedrock;

/// <summary>
/// Anthropic Messages request → Bedrock Converse, which every Bedrock model speaks. Turns alternate and start with
/// the user (consecutive same-role turns are merged); mid-conversation system turns stay in place as marked user text;
/// thinking goes back only with a signature Bedrock can check. Claude's own extras (<c>thinking</c> with a budget,
/// <c>top_k</c>) go in <c>additionalModelRequestFields</c>, only for Claude models.
/// </summary>
internal static class ConverseRequestMapper
{
    public static ConverseRequest Map(MessagesRequest request, string modelId)
    {
        var messages = Messages(request);
        var isClaude = IsClaude(modelId);
        return new ConverseRequest
        {
            Messages = messages,
            System = SystemPrompt.Texts(request.System).Select(text => new ConverseSystemBlock { Text = text }).ToList() is { Count: > 0 } system ? system : null,
            InferenceConfig = new ConverseInferenceConfig
            {
                MaxTokens = request.MaxTokens,
                Temperature = request.Temperature,
                TopP = request.TopP,
                StopSequences = request.StopSequences is { Count: > 0 } stops ? stops : null,
            },
            ToolConfig = ToolConfig(request, messages),
            AdditionalModelRequestFields = isClaude ? ClaudeFields(request) : null,
        };
    }

    public static bool IsClaude(string modelId) =>
        modelId.Contains("anthropic.", StringComparison.Ordinal) || modelId.Contains("claude", StringComparison.OrdinalIgnoreCase);

    private static List<ConverseMessage> Messages(MessagesRequest request)
    {
        var messages = new List<ConverseMessage>();
        foreach (var message in request.Messages ?? [])
        {
            var role = message.Role == "assistant" ? "assistant" : "user";
            var blocks = message.Role switch
            {
                "assistant" => AssistantBlocks(message.Content),
                "system" => SystemPrompt.Texts(message.Content).Select(text => new ConverseBlock { Text = "[system] " + text }).ToList(),
                _ => UserBlocks(message.Content),
            };
            if (blocks.Count == 0) continue;
            if (messages.Count > 0 && messages[^1].Role == role) messages[^1].Content.AddRange(blocks);
            else messages.Add(new ConverseMessage { Role = role, Content = blocks });
        }
        return messages;
    }

    private static List<ConverseBlock> AssistantBlocks(MessageContent? content)
    {
        var blocks = new List<ConverseBlock>();
        foreach (var block in content?.AsBlocks() ?? [])
        {
            switch (block.Type)
            {
                case ContentBlockTypes.Text when !string.IsNullOrWhiteSpace(block.Text):
                    blocks.Add(new ConverseBlock { Text = block.Text });
                    break;
                case ContentBlockTypes.ToolUse when block.Id is { } id && block.Name is { } name:
                    blocks.Add(new ConverseBlock { ToolUse = new ConverseToolUse { ToolUseId = id, Name = name, Input = block.Input ?? JsonValues.EmptyObject } });
                    break;
                // Bedrock checks every signature it is shown: only signatures a model there made go back.
                case ContentBlockTypes.Thinking when block.Signature is { Length: > 0 } signature && !SynthesizedSignature.IsSynthesized(signature):
                    blocks.Add(new ConverseBlock
                    {
                        ReasoningContent = new ConverseReasoning { ReasoningText = new ConverseReasoningText { Text = block.Thinking ?? "", Signature = signature } },
                    });
                    break;
                case ContentBlockTypes.RedactedThinking when block.Data is { Length: > 0 } data:
                    blocks.Add(new ConverseBlock { ReasoningContent = new ConverseReasoning { RedactedContent = data } });
                    break;
            }
        }
        return blocks;
    }

    private static List<ConverseBlock> UserBlocks(MessageContent? content)
    {
        var results = new List<ConverseBlock>();
        var blocks = new List<ConverseBlock>();
        var documents = 0;
        foreach (var block in content?.AsBlocks() ?? [])
        {
            switch (block.Type)
            {
                case ContentBlockTypes.ToolResult when block.ToolUseId is { } id:
                    // Tool results answer the previous turn's calls: they come first.
                    results.Add(new ConverseBlock { ToolResult = ToolResult(id, block) });
                    break;
                case ContentBlockTypes.Image when Image(block) is { } image:
                    blocks.Add(new ConverseBlock { Image = image });
                    break;
                case ContentBlockTypes.Document when block.Source is { Type: "base64", Data: { Length: > 0 } data, MediaType: "application/pdf" }:
                    blocks.Add(new ConverseBlock
                    {
                        Document = new ConverseDocument { Format = "pdf", Name = $"document-{++documents}", Source = new ConverseSource { Bytes = data } },
                    });
                    break;
                case ContentBlockTypes.Document when block.Source is { Type: "text", Data: { Length: > 0 } text }:
                    blocks.Add(new ConverseBlock { Text = text });
                    break;
                case ContentBlockTypes.Image or ContentBlockTypes.Document:
                    blocks.Add(new ConverseBlock { Text = $"[{block.Type} omitted: only inline base64 reaches Bedrock]" });
                    break;
                case ContentBlockTypes.Text when !string.IsNullOrWhiteSpace(block.Text):
                    blocks.Add(new ConverseBlock { Text = block.Text });
                    break;
            }
        }
        results.AddRange(blocks);
        return results;
    }

    private static ConverseToolResult ToolResult(string id, ContentBlock block)
    {
        var content = new List<ConverseToolResultContent>();
        foreach (var part in block.Content?.AsBlocks() ?? [])
        {
            if (part.Type == ContentBlockTypes.Image && Image(part) is { } image) content.Add(new ConverseToolResultContent { Image = image });
            else if (!string.IsNullOrEmpty(part.Text)) content.Add(new ConverseToolResultContent { Text = part.Text });
        }
        // Bedrock rejects an empty result; the model still needs to know the call returned.
        if (content.Count == 0) content.Add(new ConverseToolResultContent { Text = "(no output)" });
        return new ConverseToolResult { ToolUseId = id, Content = content, Status = block.IsError == true ? "error" : "success" };
    }

    private static ConverseImage? Image(ContentBlock block) =>
        block.Source is { Type: "base64", Data: { Length: > 0 } data, MediaType: { } mediaType } && mediaType.StartsWith("image/", StringComparison.Ordinal)
            ? new ConverseImage { Format = mediaType["image/".Length..], Source = new ConverseSource { Bytes = data } }
            : null;

    /// <summary>
    /// Tools → tool specs. Bedrock insists on a tool config whenever the history holds tool calls, so a request
    /// without tools but with such a history declares the tools it used, with open schemas.
    /// </summary>
    private static ConverseToolConfig? ToolConfig(MessagesRequest request, List<ConverseMessage> messages)
    {
        var tools = (request.Tools ?? [])
            .Where(tool => tool.Name is not null && tool.InputSchema is not null)
            .Select(tool => new ConverseTool
            {
                ToolSpec = new ConverseToolSpec { Name = tool.Name!, Description = tool.Description, InputSchema = new ConverseSchema { Json = tool.InputSchema!.Value } },
            })
            .ToList();
        if (tools.Count == 0)
        {
            var used = messages.SelectMany(m => m.Content).Select(b => b.ToolUse?.Name).OfType<string>().Distinct().ToList();
            if (used.Count == 0) return null;
            tools = used.Select(name => new ConverseTool
            {
                ToolSpec = new ConverseToolSpec { Name = name, InputSchema = new ConverseSchema { Json = OpenSchema } },
            }).ToList();
            return new ConverseToolConfig { Tools = tools };
        }
        var choice = request.ToolChoice?.Type switch
        {
            "auto" => new ConverseToolChoice { Auto = JsonValues.EmptyObject },
            "any" => new ConverseToolChoice { Any = JsonValues.EmptyObject },
            "tool" when request.ToolChoice.Name is { } name => new ConverseToolChoice { Tool = new ConverseNamedTool { Name = name } },
            _ => null,
        };
        return new ConverseToolConfig { Tools = tools, ToolChoice = choice };
    }

    private static Dictionary<string, JsonElement>? ClaudeFields(MessagesRequest request)
    {
        var fields = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        if (request.Thinking is { Type: "enabled", BudgetTokens: { } budget })
            fields["thinking"] = JsonSerializer.SerializeToElement(
                new ClaudeThinking { Type = "enabled", BudgetTokens = budget }, BedrockExtrasJson.Default.ClaudeThinking);
        if (request.TopK is { } topK) fields["top_k"] = JsonSerializer.SerializeToElement(topK, BedrockExtrasJson.Default.Int32);
        return fields.Count > 0 ? fields : null;
    }

    private static readonly JsonElement OpenSchema = JsonDocument.Parse("""{"type":"object"}""").RootElement.Clone();
}

internal sealed class ClaudeThinking
{
    public required string Type { get; set; }
    public int BudgetTokens { get; set; }
}

[System.Text.Json.Serialization.JsonSourceGenerationOptions(PropertyNamingPolicy = System.Text.Json.Serialization.JsonKnownNamingPolicy.SnakeCaseLower)]
[System.Text.Json.Serialization.JsonSerializable(typeof(ClaudeThinking))]
[System.Text.Json.Serialization.JsonSerializable(typeof(int))]
internal sealed partial class BedrockExtrasJson : System.Text.Json.Serialization.JsonSerializerContext;
