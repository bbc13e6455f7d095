using System.Text.Json.Nodes;

namespace Switchboard.Providers.OpenAI.Transformers;

/// <summary>
/// <c>"tooluse"</c>: for models that describe tool calls instead of making them. When tools are offered and the
/// choice is left to the model, it must call one (<c>tool_choice: "required"</c>); an extra <c>ExitTool</c> lets it
/// answer in words instead, and that call comes back to Claude Code as plain text.
/// </summary>
internal sealed class ToolUseTransformer : ITransformer
{
    public const string ExitTool = "ExitTool";

    private const string Hint =
        "Tool mode is on: act through the tools. When no tool fits, or the task is done and you want to answer the " +
        $"user, call {ExitTool} with your answer in 'response'.";

    public ToolUseTransformer(TransformerOptions options) => options.AllowOnly();

    public void Configure(OpenAISettings settings) => settings.ExitTool = ExitTool;

    public void Apply(OpenAIExchange exchange)
    {
        var body = exchange.Body;
        if (body["tools"] is not JsonArray tools || body["tool_choice"] is not null) return;
        body["tool_choice"] = "required";
        tools.Add((JsonNode)new JsonObject
        {
            ["type"] = "function",
            ["function"] = new JsonObject
            {
                ["name"] = ExitTool,
                ["description"] = "Answer the user in text, without calling any other tool. Use it when no tool fits or the task is done.",
                ["parameters"] = new JsonObject
                {
                    ["type"] = "object",
                    ["properties"] = new JsonObject { ["response"] = new JsonObject { ["type"] = "string", ["description"] = "The answer for the user." } },
                    ["required"] = new JsonArray("response"),
                },
            },
        });
        if (body["messages"] is not JsonArray messages) return;
        if (messages.FirstOrDefault() is JsonObject { } first && first["role"]?.GetValue<string>() is "system" or "developer" &&
            first["content"]?.GetValueKind() == System.Text.Json.JsonValueKind.String)
            first["content"] = first["content"]!.GetValue<string>() + "\n\n" + Hint;
        else
            messages.Insert(0, new JsonObject { ["role"] = "system", ["content"] = Hint });
    }
}
