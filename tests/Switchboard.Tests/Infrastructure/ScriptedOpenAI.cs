using System.Collections.Concurrent;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Switchboard.Tests.Infrastructure;

/// <summary>
/// A scripted OpenAI-compatible server: <c>POST /v1/chat/completions</c> answered by <see cref="Chat"/>, a list of
/// SSE items played in order, each flushed on its own as a real server sends them. An item is a chunk's JSON, a
/// comment line (starting with ':'), <c>[DONE]</c>, or <see cref="Raw"/> bytes written exactly. Asked not to
/// stream, it folds the chunks into one <c>chat.completion</c>, as the real servers answer. <see cref="Failure"/>
/// answers with an HTTP error instead. <c>GET /v1/models</c> answers <see cref="ModelList"/>.
/// </summary>
public sealed class ScriptedOpenAI : IAsyncDisposable
{
    public const string DoneLine = "[DONE]";
    private const string RawPrefix = "raw:";

    private readonly ScriptedUpstream _server;

    private ScriptedOpenAI(ScriptedUpstream server) => _server = server;

    public string BaseUrl => _server.BaseUrl + "/v1";
    public ConcurrentQueue<RecordedRequest> Requests => _server.Requests;

    /// <summary>What a chat request is answered with (see the class summary).</summary>
    public Func<JsonObject, IReadOnlyList<string>> Chat { get; set; } = _ => [Role(), Text("hello from openai"), Finish("stop"), Usage(), DoneLine];

    /// <summary>What <c>GET /v1/models</c> answers (a body, and its status).</summary>
    public (string Body, int Status) ModelList { get; set; } =
        ("""{"object":"list","data":[{"id":"served-model-a","object":"model","owned_by":"vllm"},{"id":"served-model-b","object":"model"}]}""", 200);

    /// <summary>When set, every chat request gets this HTTP error instead.</summary>
    public (int Status, string Body, string? RetryAfter)? Failure { get; set; }

    /// <summary>When set, a chat request it returns an error for gets that HTTP error instead.</summary>
    public Func<JsonObject, (int Status, string Body)?>? Reject { get; set; }

    public IEnumerable<JsonObject> ChatRequests =>
        Requests.Where(r => r.Path == "/v1/chat/completions").Select(r => JsonNode.Parse(r.Body)!.AsObject());

    public static async Task<ScriptedOpenAI> StartAsync()
    {
        ScriptedOpenAI? openai = null;
        var server = await ScriptedUpstream.StartAsync((context, request) => openai!.HandleAsync(context, request));
        openai = new ScriptedOpenAI(server);
        return openai;
    }

    private async Task HandleAsync(HttpContext context, RecordedRequest request)
    {
        if (request.Path == "/v1/models" && context.Request.Method == "GET")
        {
            await AnthropicWire.WriteJsonAsync(context, ModelList.Body, ModelList.Status);
            return;
        }
        if (request.Path != "/v1/chat/completions")
        {
            await AnthropicWire.WriteJsonAsync(context, """{"error":{"message":"Not found","type":"invalid_request_error"}}""", 404);
            return;
        }
        if (Failure is { } failure)
        {
            if (failure.RetryAfter is { } retry) context.Response.Headers.RetryAfter = retry;
            await AnthropicWire.WriteJsonAsync(context, failure.Body, failure.Status);
            return;
        }
        var chat = JsonNode.Parse(request.Body)!.AsObject();
        if (Reject?.Invoke(chat) is { } rejection)
        {
            await AnthropicWire.WriteJsonAsync(context, rejection.Body, rejection.Status);
            return;
        }
        var items = Chat(chat);
        if (chat["stream"]?.GetValue<bool>() != true)
        {
            await AnthropicWire.WriteJsonAsync(context, Merge(items));
            return;
        }
        context.Response.ContentType = "text/event-stream";
        foreach (var item in items)
        {
            var text = item.StartsWith(RawPrefix, StringComparison.Ordinal) ? item[RawPrefix.Length..]
                : item.StartsWith(':') ? item + "\n\n"
                : "data: " + item + "\n\n";
            await context.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(text), context.RequestAborted);
            await context.Response.Body.FlushAsync(context.RequestAborted);
        }
    }

    /// <summary>A non-streamed reply: the chunks' deltas folded into one message, as servers send it.</summary>
    private static string Merge(IReadOnlyList<string> items)
    {
        var content = new StringBuilder();
        var reasoning = new Dictionary<string, StringBuilder>();
        var calls = new SortedDictionary<int, JsonObject>();
        string? finish = null;
        JsonNode? usage = null;
        foreach (var item in items.Where(i => i.StartsWith('{')))
        {
            var chunk = JsonNode.Parse(item)!.AsObject();
            usage = chunk["usage"]?.DeepClone() ?? usage;
            if (chunk["choices"] is not JsonArray { Count: > 0 } choices) continue;
            finish = choices[0]!["finish_reason"]?.GetValue<string>() ?? finish;
            if (choices[0]!["delta"] is not JsonObject delta) continue;
            content.Append(delta["content"]?.GetValue<string>());
            foreach (var field in (string[])["reasoning_content", "reasoning"])
                if (delta[field]?.GetValue<string>() is { } text)
                    (reasoning.TryGetValue(field, out var b) ? b : reasoning[field] = new StringBuilder()).Append(text);
            foreach (var fragment in delta["tool_calls"] as JsonArray ?? [])
            {
                var index = fragment!["index"]!.GetValue<int>();
                if (!calls.TryGetValue(index, out var call))
                    calls[index] = call = new JsonObject { ["id"] = fragment["id"]?.GetValue<string>(), ["type"] = "function", ["function"] = new JsonObject { ["name"] = fragment["function"]?["name"]?.GetValue<string>(), ["arguments"] = "" } };
                call["function"]!["arguments"] = call["function"]!["arguments"]!.GetValue<string>() + fragment["function"]?["arguments"]?.GetValue<string>();
            }
        }
        var message = new JsonObject { ["role"] = "assistant", ["content"] = content.Length > 0 ? content.ToString() : null };
        foreach (var (field, text) in reasoning) message[field] = text.ToString();
        if (calls.Count > 0) message["tool_calls"] = new JsonArray(calls.Values.Select(c => (JsonNode)c).ToArray());
        return new JsonObject
        {
            ["id"] = "chatcmpl-scripted",
            ["object"] = "chat.completion",
            ["created"] = 1764000000,
            ["model"] = "scripted-model",
            ["choices"] = new JsonArray(new JsonObject { ["index"] = 0, ["message"] = message, ["finish_reason"] = finish }),
            ["usage"] = usage,
        }.ToJsonString();
    }

    /// <summary>A chunk with one choice whose delta is <paramref name="delta"/>.</summary>
    public static string Chunk(JsonObject delta, string? finishReason = null, string model = "scripted-model") => new JsonObject
    {
        ["id"] = "chatcmpl-scripted",
        ["object"] = "chat.completion.chunk",
        ["created"] = 1764000000,
        ["model"] = model,
        ["choices"] = new JsonArray(new JsonObject { ["index"] = 0, ["delta"] = delta, ["finish_reason"] = finishReason }),
    }.ToJsonString();

    /// <summary>The first chunk OpenAI sends: the role and empty content.</summary>
    public static string Role() => Chunk(new JsonObject { ["role"] = "assistant", ["content"] = "" });

    public static string Text(string text) => Chunk(new JsonObject { ["content"] = text });

    /// <summary>Reasoning under <c>reasoning_content</c> (DeepSeek, vLLM) or <c>reasoning</c> (OpenRouter, Groq).</summary>
    public static string Reasoning(string text, string field = "reasoning_content") => Chunk(new JsonObject { [field] = text });

    /// <summary>The first fragment of a tool call: index, id, name, and maybe the start of its arguments.</summary>
    public static string ToolCallStart(int index, string id, string name, string arguments = "") => Chunk(new JsonObject
    {
        ["tool_calls"] = new JsonArray(new JsonObject
        {
            ["index"] = index, ["id"] = id, ["type"] = "function",
            ["function"] = new JsonObject { ["name"] = name, ["arguments"] = arguments },
        }),
    });

    /// <summary>A later fragment: more of a call's arguments, keyed by index only.</summary>
    public static string ToolCallArgs(int index, string fragment) => Chunk(new JsonObject
    {
        ["tool_calls"] = new JsonArray(new JsonObject { ["index"] = index, ["function"] = new JsonObject { ["arguments"] = fragment } }),
    });

    public static string Finish(string reason) => Chunk(new JsonObject(), reason);

    /// <summary>The usage-only chunk that ends a stream asked for it (<c>stream_options.include_usage</c>).</summary>
    public static string Usage(int prompt = 120, int completion = 30, int? cached = null)
    {
        var usage = new JsonObject { ["prompt_tokens"] = prompt, ["completion_tokens"] = completion, ["total_tokens"] = prompt + completion };
        if (cached is { } c) usage["prompt_tokens_details"] = new JsonObject { ["cached_tokens"] = c };
        return new JsonObject { ["id"] = "chatcmpl-scripted", ["object"] = "chat.completion.chunk", ["created"] = 1764000000, ["model"] = "scripted-model", ["choices"] = new JsonArray(), ["usage"] = usage }.ToJsonString();
    }

    /// <summary>An in-stream error chunk, as OpenRouter sends one.</summary>
    public static string Error(string message, int code = 502) =>
        new JsonObject { ["error"] = new JsonObject { ["message"] = message, ["code"] = code } }.ToJsonString();

    /// <summary>Bytes written exactly as given (no SSE framing added).</summary>
    public static string Raw(string text) => RawPrefix + text;

    public ValueTask DisposeAsync() => _server.DisposeAsync();

    /// <summary>A Switchboard config whose default provider is this server.</summary>
    public string Config(string extraProviderKeys = "", string name = "openai-test") => $$"""
        {
          "defaultProvider": "{{name}}",
          "providers": {
            "{{name}}": { "type": "openai", "baseUrl": "{{BaseUrl}}" {{extraProviderKeys}} }
          }
        }
        """;
}
