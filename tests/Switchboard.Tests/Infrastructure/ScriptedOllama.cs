using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Switchboard.Tests.Infrastructure;

/// <summary>
/// A scripted Ollama speaking its native wire format: <c>/api/tags</c>, <c>/api/show</c>, <c>/api/version</c> from its
/// installed models, and <c>/api/chat</c> answered by <see cref="Chat"/> as NDJSON (streamed) or one JSON object.
/// </summary>
public sealed class ScriptedOllama : IAsyncDisposable
{
    private readonly ScriptedUpstream _server;

    private ScriptedOllama(ScriptedUpstream server) => _server = server;

    public string BaseUrl => _server.BaseUrl;
    public ConcurrentQueue<RecordedRequest> Requests => _server.Requests;

    /// <summary>Installed models and their capabilities and context length.</summary>
    public Dictionary<string, (string[] Capabilities, int ContextLength)> Models { get; } = new()
    {
        ["qwen3:8b"] = (["completion", "tools", "thinking"], 40960),
        ["llama3.2:3b"] = (["completion", "tools"], 131072),
        ["llava:7b"] = (["completion", "vision"], 4096),
    };

    /// <summary>Chunks to answer a chat with (each a JSON object); the last must have <c>"done": true</c>.</summary>
    public Func<JsonObject, IReadOnlyList<string>> Chat { get; set; } = _ => [Text("hello from ollama"), Done()];

    /// <summary>When set, <c>/api/chat</c> answers with this status and <c>{"error": Error}</c> instead of <see cref="Chat"/>.</summary>
    public (int Status, string Error)? ChatFailure { get; set; }

    public IEnumerable<JsonObject> ChatRequests =>
        Requests.Where(r => r.Path == "/api/chat").Select(r => JsonNode.Parse(r.Body)!.AsObject());

    public static async Task<ScriptedOllama> StartAsync()
    {
        ScriptedOllama? ollama = null;
        var server = await ScriptedUpstream.StartAsync((context, request) => ollama!.HandleAsync(context, request));
        ollama = new ScriptedOllama(server);
        return ollama;
    }

    private async Task HandleAsync(HttpContext context, RecordedRequest request)
    {
        switch (request.Path)
        {
            case "/api/version":
                await AnthropicWire.WriteJsonAsync(context, """{"version":"0.12.3"}""");
                return;
            case "/api/tags":
                var tags = new JsonObject { ["models"] = new JsonArray(Models.Keys.Select(name => (JsonNode)new JsonObject { ["name"] = name, ["model"] = name }).ToArray()) };
                await AnthropicWire.WriteJsonAsync(context, tags.ToJsonString());
                return;
            case "/api/show":
                var name = JsonNode.Parse(request.Body)!["model"]!.GetValue<string>();
                if (!Models.TryGetValue(name, out var model))
                {
                    await AnthropicWire.WriteJsonAsync(context, $$"""{"error":"model '{{name}}' not found"}""", 404);
                    return;
                }
                var show = new JsonObject
                {
                    ["capabilities"] = new JsonArray(model.Capabilities.Select(c => (JsonNode)c!).ToArray()),
                    ["model_info"] = new JsonObject { ["general.architecture"] = "test", ["test.context_length"] = model.ContextLength },
                };
                await AnthropicWire.WriteJsonAsync(context, show.ToJsonString());
                return;
            case "/api/chat":
                var chat = JsonNode.Parse(request.Body)!.AsObject();
                var modelName = chat["model"]!.GetValue<string>();
                if (!Models.ContainsKey(modelName))
                {
                    await AnthropicWire.WriteJsonAsync(context, $$"""{"error":"model \"{{modelName}}\" not found, try pulling it first"}""", 404);
                    return;
                }
                if (ChatFailure is var (status, error))
                {
                    await AnthropicWire.WriteJsonAsync(context, new JsonObject { ["error"] = error }.ToJsonString(), status);
                    return;
                }
                var chunks = Chat(chat);
                if (chat["stream"]?.GetValue<bool>() == true)
                {
                    context.Response.ContentType = "application/x-ndjson";
                    foreach (var chunk in chunks)
                    {
                        await context.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(chunk + "\n"));
                        await context.Response.Body.FlushAsync();
                    }
                }
                else
                {
                    await AnthropicWire.WriteJsonAsync(context, Merge(chunks));
                }
                return;
            default:
                context.Response.StatusCode = 404;
                await context.Response.WriteAsync("404 page not found");
                return;
        }
    }

    /// <summary>A non-streamed reply is the chunks folded into one object, as Ollama sends it.</summary>
    private static string Merge(IReadOnlyList<string> chunks)
    {
        var content = new StringBuilder();
        var thinking = new StringBuilder();
        var calls = new JsonArray();
        JsonObject last = new();
        foreach (var chunk in chunks)
        {
            last = JsonNode.Parse(chunk)!.AsObject();
            if (last["message"] is JsonObject message)
            {
                content.Append(message["content"]?.GetValue<string>());
                thinking.Append(message["thinking"]?.GetValue<string>());
                if (message["tool_calls"] is JsonArray toolCalls) foreach (var call in toolCalls) calls.Add(call!.DeepClone());
            }
        }
        var merged = new JsonObject { ["role"] = "assistant", ["content"] = content.ToString() };
        if (thinking.Length > 0) merged["thinking"] = thinking.ToString();
        if (calls.Count > 0) merged["tool_calls"] = calls;
        last["message"] = merged;
        return last.ToJsonString();
    }

    public static string Text(string text, string model = "qwen3:8b") =>
        new JsonObject { ["model"] = model, ["created_at"] = "2026-11-24T10:00:00Z", ["message"] = new JsonObject { ["role"] = "assistant", ["content"] = text }, ["done"] = false }.ToJsonString();

    public static string Thinking(string thinking) =>
        new JsonObject { ["model"] = "qwen3:8b", ["message"] = new JsonObject { ["role"] = "assistant", ["content"] = "", ["thinking"] = thinking }, ["done"] = false }.ToJsonString();

    /// <summary>A tool call; <paramref name="arguments"/> is raw JSON (an object, or a string to exercise healing).</summary>
    public static string ToolCall(string name, string arguments, string? id = null)
    {
        var call = new JsonObject { ["function"] = new JsonObject { ["name"] = name, ["arguments"] = JsonNode.Parse(arguments) } };
        if (id is not null) call["id"] = id;
        return new JsonObject { ["model"] = "qwen3:8b", ["message"] = new JsonObject { ["role"] = "assistant", ["content"] = "", ["tool_calls"] = new JsonArray(call) }, ["done"] = false }.ToJsonString();
    }

    public static string Done(string reason = "stop", int prompt = 321, int eval = 45) =>
        new JsonObject { ["model"] = "qwen3:8b", ["message"] = new JsonObject { ["role"] = "assistant", ["content"] = "" }, ["done"] = true, ["done_reason"] = reason, ["prompt_eval_count"] = prompt, ["eval_count"] = eval }.ToJsonString();

    public ValueTask DisposeAsync() => _server.DisposeAsync();

    /// <summary>A Switchboard config whose default provider is this Ollama.</summary>
    public string Config(string extraProviderKeys = "", string name = "ollama-local") => $$"""
        {
          "defaultProvider": "{{name}}",
          "providers": {
            "{{name}}": { "type": "ollama", "baseUrl": "{{BaseUrl}}" {{extraProviderKeys}} }
          }
        }
        """;
}
