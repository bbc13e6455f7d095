using System.Text;
using System.Text.Json;
using Switchboard.Anthropic;

namespace Switchboard.Providers.Gemini;

/// <summary>
/// Anthropic Messages request → Gemini <c>generateContent</c>. System blocks → <c>systemInstruction</c>; turns →
/// <c>contents</c> (<c>user</c>/<c>model</c>, consecutive same-role turns merged); <c>tool_use</c> ↔ <c>functionCall</c>
/// and <c>tool_result</c> → <c>functionResponse</c> matched by id (Gemini names results by function, so the name is
/// looked up from the call); a function call's <c>thoughtSignature</c> comes back from the signed thinking block that
/// carried it to Claude Code (see <see cref="GeminiSignatures"/>).
/// </summary>
internal static class GeminiRequestMapper
{
    /// <summary>Gemini takes at most five stop sequences.</summary>
    private const int MaxStopSequences = 5;

    public static GeminiRequest Map(MessagesRequest request, string model)
    {
        var contents = Contents(request, model);
        var tools = Tools(request.Tools, GeminiModels.AcceptsJsonSchema(model));
        return new GeminiRequest
        {
            Contents = contents,
            SystemInstruction = SystemInstruction(request),
            Tools = tools,
            ToolConfig = tools is null ? null : ToolConfig(request.ToolChoice),
            GenerationConfig = new GeminiGenerationConfig
            {
                MaxOutputTokens = request.MaxTokens,
                Temperature = request.Temperature,
                TopP = request.TopP,
                TopK = request.TopK,
                StopSequences = request.StopSequences is { Count: > 0 } stops ? stops.Take(MaxStopSequences).ToList() : null,
                ThinkingConfig = Thinking(request, model),
            },
        };
    }

    public static GeminiContent? SystemInstruction(MessagesRequest request)
    {
        var parts = SystemPrompt.Texts(request.System).Select(text => new GeminiPart { Text = text }).ToList();
        return parts.Count > 0 ? new GeminiContent { Parts = parts } : null;
    }

    public static List<GeminiContent> Contents(MessagesRequest request, string model)
    {
        var contents = new List<GeminiContent>();
        var toolNames = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var message in request.Messages ?? [])
        {
            var role = message.Role == "assistant" ? "model" : "user";
            var parts = message.Role switch
            {
                "assistant" => ModelParts(message.Content, toolNames, GeminiModels.RequiresCallSignatures(model)),
                // Gemini has no system turn mid-conversation: it stays where it was, as a marked user part.
                "system" => SystemPrompt.Texts(message.Content).Select(text => new GeminiPart { Text = "[system] " + text }).ToList(),
                _ => UserParts(message.Content, toolNames),
            };
            if (parts.Count == 0) continue;
            if (contents.Count > 0 && contents[^1].Role == role) contents[^1].Parts.AddRange(parts);
            else contents.Add(new GeminiContent { Role = role, Parts = parts });
        }
        return contents;
    }

    private static List<GeminiPart> ModelParts(MessageContent? content, Dictionary<string, string> toolNames, bool requiresSignatures)
    {
        var parts = new List<GeminiPart>();
        string? carriedSignature = null;
        var firstCall = true;
        foreach (var block in content?.AsBlocks() ?? [])
        {
            switch (block.Type)
            {
                case ContentBlockTypes.Text when !string.IsNullOrEmpty(block.Text):
                    parts.Add(new GeminiPart { Text = block.Text });
                    break;
                case ContentBlockTypes.Thinking when GeminiSignatures.FromCarrier(block.Signature) is { } signature:
                    carriedSignature = signature;
                    break;
                case ContentBlockTypes.ToolUse when block.Name is { } name:
                    if (block.Id is { } id) toolNames[id] = name;
                    // Gemini 3 wants the first call of a turn signed; a history from elsewhere has nothing to replay.
                    var signatureToSend = carriedSignature ?? (firstCall && requiresSignatures ? GeminiSignatures.SkipValidation : null);
                    parts.Add(new GeminiPart
                    {
                        FunctionCall = new GeminiFunctionCall { Id = GeminiSignatures.UpstreamCallId(block.Id), Name = name, Args = block.Input ?? JsonValues.EmptyObject },
                        ThoughtSignature = signatureToSend,
                    });
                    carriedSignature = null;
                    firstCall = false;
                    break;
                // Thinking from other models (or Gemini's own thought summaries) cannot be verified by Gemini; the
                // answer it led to is in the text.
            }
        }
        return parts;
    }

    private static List<GeminiPart> UserParts(MessageContent? content, Dictionary<string, string> toolNames)
    {
        var responses = new List<GeminiPart>();
        var parts = new List<GeminiPart>();
        foreach (var block in content?.AsBlocks() ?? [])
        {
            switch (block.Type)
            {
                case ContentBlockTypes.ToolResult:
                    // Function responses answer the previous turn's calls, in order, before anything else.
                    responses.Add(FunctionResponse(block, toolNames));
                    parts.AddRange((block.Content?.AsBlocks() ?? []).Select(Media).OfType<GeminiPart>());
                    break;
                case ContentBlockTypes.Image or ContentBlockTypes.Document when Media(block) is { } media:
                    parts.Add(media);
                    break;
                case ContentBlockTypes.Document when block.Source is { Type: "text", Data: { } text }:
                    parts.Add(new GeminiPart { Text = text });
                    break;
                case ContentBlockTypes.Image or ContentBlockTypes.Document:
                    parts.Add(new GeminiPart { Text = $"[{block.Type} omitted: its source cannot be sent to Gemini]" });
                    break;
                case ContentBlockTypes.Text when !string.IsNullOrEmpty(block.Text):
                    parts.Add(new GeminiPart { Text = block.Text });
                    break;
            }
        }
        responses.AddRange(parts);
        return responses;
    }

    private static GeminiPart FunctionResponse(ContentBlock block, Dictionary<string, string> toolNames)
    {
        var text = new StringBuilder();
        foreach (var part in block.Content?.AsBlocks() ?? [])
        {
            if (part.Type != ContentBlockTypes.Text || string.IsNullOrEmpty(part.Text)) continue;
            if (text.Length > 0) text.Append("\n\n");
            text.Append(part.Text);
        }
        var name = block.ToolUseId is { } id && toolNames.TryGetValue(id, out var known) ? known : "unknown_function";
        return new GeminiPart
        {
            FunctionResponse = new GeminiFunctionResponse
            {
                Id = GeminiSignatures.UpstreamCallId(block.ToolUseId),
                Name = name,
                Response = block.IsError == true
                    ? new GeminiToolOutput { Error = text.ToString() }
                    : new GeminiToolOutput { Output = text.ToString() },
            },
        };
    }

    /// <summary>An image or PDF as Gemini takes it: inline bytes, or a URL as file data.</summary>
    private static GeminiPart? Media(ContentBlock block)
    {
        if (block.Type is not (ContentBlockTypes.Image or ContentBlockTypes.Document)) return null;
        return block.Source switch
        {
            { Type: "base64", Data: { Length: > 0 } data, MediaType: { } mediaType } =>
                new GeminiPart { InlineData = new GeminiBlob { MimeType = mediaType, Data = data } },
            { Type: "url", Url: { Length: > 0 } url } =>
                new GeminiPart { FileData = new GeminiFileData { FileUri = url, MimeType = block.Source.MediaType } },
            _ => null,
        };
    }

    public static List<GeminiTool>? Tools(List<Tool>? tools, bool acceptsJsonSchema)
    {
        // Server tools (web search and the like) have no schema and only Anthropic can run them.
        var declarations = tools?.Where(tool => tool.Name is not null && tool.InputSchema is not null)
            .Select(tool => new GeminiFunctionDeclaration
            {
                Name = tool.Name!,
                Description = tool.Description,
                ParametersJsonSchema = acceptsJsonSchema ? tool.InputSchema : null,
                Parameters = acceptsJsonSchema ? null : GeminiSchema.Clean(tool.InputSchema!.Value),
            })
            .ToList();
        return declarations is { Count: > 0 } ? [new GeminiTool { FunctionDeclarations = declarations }] : null;
    }

    private static GeminiToolConfig? ToolConfig(ToolChoice? choice) => choice?.Type switch
    {
        "any" => Mode("ANY"),
        "none" => Mode("NONE"),
        "tool" when choice.Name is { } name => new GeminiToolConfig
        {
            FunctionCallingConfig = new GeminiFunctionCallingConfig { Mode = "ANY", AllowedFunctionNames = [name] },
        },
        "auto" => Mode("AUTO"),
        _ => null,
    };

    private static GeminiToolConfig Mode(string mode) =>
        new() { FunctionCallingConfig = new GeminiFunctionCallingConfig { Mode = mode } };

    /// <summary>
    /// Claude Code sends adaptive thinking on nearly every request: that asks for the model's own judgement with
    /// thoughts shown. An explicit budget becomes Gemini 2.5's <c>thinkingBudget</c> or Gemini 3's <c>thinkingLevel</c>.
    /// </summary>
    private static GeminiThinkingConfig? Thinking(MessagesRequest request, string model)
    {
        if (!GeminiModels.CanThink(model)) return null;
        var usesLevels = GeminiModels.UsesThinkingLevels(model);
        return request.Thinking?.Type switch
        {
            "enabled" when request.Thinking.BudgetTokens is { } budget => usesLevels
                ? new GeminiThinkingConfig { ThinkingLevel = budget <= 8192 ? "low" : "high", IncludeThoughts = true }
                : new GeminiThinkingConfig { ThinkingBudget = budget, IncludeThoughts = true },
            "enabled" or "adaptive" => usesLevels && request.OutputConfig?.Effort is "low" or "high"
                ? new GeminiThinkingConfig { ThinkingLevel = request.OutputConfig.Effort, IncludeThoughts = true }
                : new GeminiThinkingConfig { IncludeThoughts = true },
            "disabled" when GeminiModels.CanTurnThinkingOff(model) => new GeminiThinkingConfig { ThinkingBudget = 0 },
            _ => null,
        };
    }

}
