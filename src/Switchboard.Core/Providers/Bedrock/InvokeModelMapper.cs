using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using Switchboard.Anthropic;

namespace Switchboard.Providers.Bedrock;

/// <summary>
/// Claude on Bedrock at full fidelity: the Anthropic Messages body itself goes through InvokeModel (model and stream
/// removed, <c>anthropic_version</c> and the betas Bedrock knows added), and the reply is Anthropic's own event
/// stream, each event base64-wrapped in an event-stream <c>chunk</c>. Thinking signatures, betas and every block
/// survive as they are.
/// </summary>
internal static class InvokeModelMapper
{
    public const string AnthropicVersion = "bedrock-2023-05-31";

    /// <summary>Betas Bedrock accepts; Claude Code sends others (OAuth, its own) that Bedrock would refuse.</summary>
    private static readonly HashSet<string> BedrockBetas = new(StringComparer.Ordinal)
    {
        "computer-use-2025-01-24", "computer-use-2025-11-24", "token-efficient-tools-2025-02-19", "interleaved-thinking-2025-05-14",
        "output-128k-2025-02-19", "dev-full-thinking-2025-05-14", "context-1m-2025-08-07", "context-management-2025-06-27",
        "effort-2025-11-24", "tool-search-tool-2025-10-19", "tool-examples-2025-10-29",
    };

    public static byte[] Body(ProviderCall call)
    {
        var body = JsonSerializer.SerializeToNode(call.Request, AnthropicJson.Default.MessagesRequest)!.AsObject();
        body.Remove("model");
        body.Remove("stream");
        body.Remove("metadata");
        body["anthropic_version"] = AnthropicVersion;
        var betas = call.ClientHeaders
            .Where(header => header.Key.Equals("anthropic-beta", StringComparison.OrdinalIgnoreCase))
            .SelectMany(header => header.Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .Where(BedrockBetas.Contains)
            .Distinct()
            .ToList();
        if (betas.Count > 0) body["anthropic_beta"] = new JsonArray(betas.Select(beta => (JsonNode)beta).ToArray());
        // Fields that only work with their beta turned on.
        if (!betas.Contains("context-management-2025-06-27")) body.Remove("context_management");
        if (!betas.Contains("effort-2025-11-24")) body.Remove("output_config");
        return JsonSerializer.SerializeToUtf8Bytes(body, BedrockNodeJson.Default.JsonObject);
    }

    public static async IAsyncEnumerable<StreamEvent> MapAsync(
        Stream body, string provider, string model, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var message in BedrockEventStream.ReadAsync(body, provider, cancellationToken).ConfigureAwait(false))
        {
            if (message.Header(BedrockEventStream.MessageType) is "exception" or "error")
                throw BedrockErrors.FromStreamException(
                    message.Header(BedrockEventStream.ExceptionType) ?? message.Header(":error-code"), message.Payload, provider, model);
            if (message.Header(BedrockEventStream.EventType) != "chunk") continue;
            var chunk = JsonSerializer.Deserialize(message.Payload, BedrockJson.Default.InvokeChunk);
            if (chunk?.Bytes is not { Length: > 0 } encoded) continue;
            var streamEvent = JsonSerializer.Deserialize(Convert.FromBase64String(encoded), AnthropicJson.Default.StreamEvent);
            if (streamEvent is not null) yield return streamEvent;
        }
    }
}

[System.Text.Json.Serialization.JsonSerializable(typeof(JsonObject))]
internal sealed partial class BedrockNodeJson : System.Text.Json.Serialization.JsonSerializerContext;
