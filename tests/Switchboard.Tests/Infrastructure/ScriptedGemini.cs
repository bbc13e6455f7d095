using System.Collections.Concurrent;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;

namespace Switchboard.Tests.Infrastructure;

/// <summary>
/// A scripted Gemini API (v1beta) speaking its wire format: <c>models/{m}:streamGenerateContent?alt=sse</c> as SSE
/// chunks, <c>:generateContent</c> as the chunks folded into one reply, <c>:countTokens</c> and the model list.
/// <see cref="Reply"/> picks the chunks from the request; <see cref="Failure"/> answers with an error instead.
/// </summary>
public sealed partial class ScriptedGemini : IAsyncDisposable
{
    public const string Key = "gemini-test-key";
    private readonly ScriptedUpstream _server;

    private ScriptedGemini(ScriptedUpstream server) => _server = server;

    public string BaseUrl => _server.BaseUrl;
    public ConcurrentQueue<RecordedRequest> Requests => _server.Requests;

    /// <summary>Chunks to answer a generate request with; each a GenerateContentResponse object.</summary>
    public Func<JsonObject, IReadOnlyList<string>> Reply { get; set; } = _ => [Text("hello from gemini"), Finish()];

    /// <summary>When set, every generate request gets this status and body.</summary>
    public (int Status, string Body)? Failure { get; set; }

    public IEnumerable<JsonObject> GenerateRequests =>
        Requests.Where(r => r.Path.Contains("generateContent", StringComparison.OrdinalIgnoreCase)).Select(r => JsonNode.Parse(r.Body)!.AsObject());

    [GeneratedRegex(@"^/v1beta/models/(?<model>[^:]+):(?<method>\w+)$")]
    private static partial Regex ModelMethod();

    public static async Task<ScriptedGemini> StartAsync()
    {
        ScriptedGemini? gemini = null;
        var server = await ScriptedUpstream.StartAsync((context, request) => gemini!.HandleAsync(context, request));
        gemini = new ScriptedGemini(server);
        return gemini;
    }

    private async Task HandleAsync(HttpContext context, RecordedRequest request)
    {
        if (request.Header("x-goog-api-key") != Key)
        {
            await AnthropicWire.WriteJsonAsync(context, """{"error":{"code":400,"message":"API key not valid. Please pass a valid API key.","status":"INVALID_ARGUMENT"}}""", 400);
            return;
        }
        if (request.Path == "/v1beta/models")
        {
            await AnthropicWire.WriteJsonAsync(context, """
                {"models":[
                  {"name":"models/gemini-2.5-pro","displayName":"Gemini 2.5 Pro","inputTokenLimit":1048576,"outputTokenLimit":65536,"supportedGenerationMethods":["generateContent","countTokens"]},
                  {"name":"models/text-embedding-004","displayName":"Text Embedding 004","supportedGenerationMethods":["embedContent"]}
                ]}
                """);
            return;
        }
        var match = ModelMethod().Match(request.Path);
        if (!match.Success)
        {
            await AnthropicWire.WriteJsonAsync(context, """{"error":{"code":404,"message":"not found","status":"NOT_FOUND"}}""", 404);
            return;
        }
        switch (match.Groups["method"].Value)
        {
            case "countTokens":
                await AnthropicWire.WriteJsonAsync(context, """{"totalTokens":1234}""");
                return;
            case var method when Failure is { } failure:
                await AnthropicWire.WriteJsonAsync(context, failure.Body, failure.Status);
                return;
            case "streamGenerateContent":
                context.Response.ContentType = "text/event-stream";
                foreach (var chunk in Reply(JsonNode.Parse(request.Body)!.AsObject()))
                {
                    // Gemini frames each chunk as one data line followed by a blank line, CRLF.
                    await context.Response.Body.WriteAsync(Encoding.UTF8.GetBytes($"data: {chunk}\r\n\r\n"));
                    await context.Response.Body.FlushAsync();
                }
                return;
            case "generateContent":
                await AnthropicWire.WriteJsonAsync(context, Fold(Reply(JsonNode.Parse(request.Body)!.AsObject())));
                return;
        }
    }

    /// <summary>A whole reply is the chunks' parts in one candidate, with the last chunk's finish and usage.</summary>
    private static string Fold(IReadOnlyList<string> chunks)
    {
        var parts = new JsonArray();
        JsonObject last = new();
        foreach (var chunk in chunks)
        {
            last = JsonNode.Parse(chunk)!.AsObject();
            if (last["error"] is not null) return last.ToJsonString();
            foreach (var part in last["candidates"]?[0]?["content"]?["parts"]?.AsArray() ?? []) parts.Add(part!.DeepClone());
        }
        var candidate = new JsonObject { ["content"] = new JsonObject { ["role"] = "model", ["parts"] = parts }, ["index"] = 0 };
        if (last["candidates"]?[0]?["finishReason"] is { } reason) candidate["finishReason"] = reason.DeepClone();
        var reply = new JsonObject { ["candidates"] = new JsonArray(candidate) };
        foreach (var key in new[] { "usageMetadata", "promptFeedback", "modelVersion", "responseId" })
            if (last[key] is { } value) reply[key] = value.DeepClone();
        return reply.ToJsonString();
    }

    private static string Chunk(JsonNode part, string? finishReason = null, JsonObject? usage = null)
    {
        var candidate = new JsonObject { ["content"] = new JsonObject { ["role"] = "model", ["parts"] = new JsonArray(part) }, ["index"] = 0 };
        if (finishReason is not null) candidate["finishReason"] = finishReason;
        var chunk = new JsonObject { ["candidates"] = new JsonArray(candidate), ["modelVersion"] = "gemini-2.5-pro", ["responseId"] = "resp-abc123" };
        if (usage is not null) chunk["usageMetadata"] = usage;
        return chunk.ToJsonString();
    }

    public static string Text(string text) => Chunk(new JsonObject { ["text"] = text });

    public static string Thought(string text) => Chunk(new JsonObject { ["text"] = text, ["thought"] = true });

    public static string Call(string name, string argsJson, string? signature = null)
    {
        var part = new JsonObject { ["functionCall"] = new JsonObject { ["name"] = name, ["args"] = JsonNode.Parse(argsJson) } };
        if (signature is not null) part["thoughtSignature"] = signature;
        return Chunk(part);
    }

    /// <summary>Several function calls in one chunk, as Gemini sends parallel calls; only the first is signed.</summary>
    public static string Calls(string? signature, params (string Name, string ArgsJson)[] calls)
    {
        var parts = new JsonArray();
        foreach (var (name, args) in calls)
        {
            var part = new JsonObject { ["functionCall"] = new JsonObject { ["name"] = name, ["args"] = JsonNode.Parse(args) } };
            if (parts.Count == 0 && signature is not null) part["thoughtSignature"] = signature;
            parts.Add(part);
        }
        var candidate = new JsonObject { ["content"] = new JsonObject { ["role"] = "model", ["parts"] = parts }, ["index"] = 0 };
        return new JsonObject { ["candidates"] = new JsonArray(candidate), ["responseId"] = "resp-abc123" }.ToJsonString();
    }

    public static string Finish(string reason = "STOP", int prompt = 500, int candidates = 40, int cached = 0, int thoughts = 0) =>
        Chunk(new JsonObject { ["text"] = "" }, reason, new JsonObject
        {
            ["promptTokenCount"] = prompt,
            ["candidatesTokenCount"] = candidates,
            ["cachedContentTokenCount"] = cached,
            ["thoughtsTokenCount"] = thoughts,
            ["totalTokenCount"] = prompt + candidates + thoughts,
        });

    public ValueTask DisposeAsync() => _server.DisposeAsync();

    /// <summary>A Switchboard config whose default provider is this Gemini.</summary>
    public string Config(string apiKey = Key, string name = "gemini") => $$"""
        {
          "defaultProvider": "{{name}}",
          "providers": {
            "{{name}}": { "type": "gemini", "baseUrl": "{{BaseUrl}}", "apiKey": "{{apiKey}}" }
          }
        }
        """;
}
