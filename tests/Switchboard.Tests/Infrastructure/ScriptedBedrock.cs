using System.Collections.Concurrent;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Amazon.Runtime.EventStreams;
using Microsoft.AspNetCore.Http;

namespace Switchboard.Tests.Infrastructure;

/// <summary>
/// A scripted Amazon Bedrock Runtime: <c>/model/{id}/converse-stream</c> and <c>/invoke-with-response-stream</c> answer
/// in the binary event-stream framing (valid prelude and message CRCs), <c>/converse</c> in JSON. Every request must
/// be SigV4-signed for <see cref="Region"/> with the test credentials, or carry the test Bedrock API key, as AWS
/// demands; anything else gets AWS's 403.
/// </summary>
public sealed partial class ScriptedBedrock : IAsyncDisposable
{
    public const string AccessKey = "AKIASWITCHBOARDTEST1";
    public const string SecretKey = "switchboard/test/secret+key";
    public const string ApiKey = "bedrock-api-key-test";
    public const string Region = "eu-west-3";
    public const string Profile = "switchboard-test";

    private readonly ScriptedUpstream _server;

    private ScriptedBedrock(ScriptedUpstream server) => _server = server;

    public string BaseUrl => _server.BaseUrl;
    public ConcurrentQueue<RecordedRequest> Requests => _server.Requests;

    /// <summary>Why each request's authorisation was refused, if it was.</summary>
    public ConcurrentQueue<string> Refusals { get; } = new();

    /// <summary>Events answering a Converse request: (event type, JSON payload), or an exception from <see cref="Exception"/>.</summary>
    public Func<JsonObject, IReadOnlyList<EventStreamMessage>> Converse { get; set; } =
        _ => [Text("hello from bedrock"), BlockStop(0), MessageStop("end_turn"), Metadata(100, 7)];

    /// <summary>Anthropic stream events (JSON) answering an InvokeModel request; each goes out base64 in a chunk.</summary>
    public Func<JsonObject, IReadOnlyList<string>> Invoke { get; set; } = _ => [];

    /// <summary>Flip one payload byte of the last message, so its CRC no longer matches.</summary>
    public bool CorruptLastMessage { get; set; }

    /// <summary>When set, every model call gets this HTTP error.</summary>
    public (int Status, string ErrorType, string Message)? Failure { get; set; }

    public IEnumerable<JsonObject> Bodies => Requests.Select(r => JsonNode.Parse(r.Body)!.AsObject());

    [GeneratedRegex(@"^/model/(?<model>[^/]+)/(?<action>[\w-]+)$")]
    private static partial Regex ModelAction();

    public static async Task<ScriptedBedrock> StartAsync()
    {
        ScriptedBedrock? bedrock = null;
        var server = await ScriptedUpstream.StartAsync((context, request) => bedrock!.HandleAsync(context, request));
        bedrock = new ScriptedBedrock(server);
        return bedrock;
    }

    private async Task HandleAsync(HttpContext context, RecordedRequest request)
    {
        var refusal = request.Header("authorization") == "Bearer " + ApiKey
            ? null
            : SigV4Verifier.Problem(request, AccessKey, SecretKey, Region, "bedrock");
        if (refusal is not null)
        {
            Refusals.Enqueue(refusal);
            await ErrorAsync(context, 403, "InvalidSignatureException", "The request signature we calculated does not match the signature you provided.");
            return;
        }
        var match = ModelAction().Match(request.Path);
        if (!match.Success)
        {
            await ErrorAsync(context, 404, "UnknownOperationException", "no such operation");
            return;
        }
        if (Failure is { } failure)
        {
            await ErrorAsync(context, failure.Status, failure.ErrorType, failure.Message);
            return;
        }
        var body = JsonNode.Parse(request.Body)!.AsObject();
        switch (match.Groups["action"].Value)
        {
            case "converse-stream":
                await WriteEventsAsync(context, Converse(body));
                return;
            case "invoke-with-response-stream":
                await WriteEventsAsync(context, Invoke(body).Select(json =>
                    Event("chunk", new JsonObject { ["bytes"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(json)) }.ToJsonString())).ToList());
                return;
            default:
                await ErrorAsync(context, 400, "ValidationException", $"the scripted Bedrock does not serve {match.Groups["action"].Value}");
                return;
        }
    }

    private async Task WriteEventsAsync(HttpContext context, IReadOnlyList<EventStreamMessage> events)
    {
        context.Response.ContentType = "application/vnd.amazon.eventstream";
        for (var i = 0; i < events.Count; i++)
        {
            var bytes = events[i].ToByteArray();
            if (CorruptLastMessage && i == events.Count - 1) bytes[^6] ^= 0x20;
            await context.Response.Body.WriteAsync(bytes);
            await context.Response.Body.FlushAsync();
        }
    }

    private static Task ErrorAsync(HttpContext context, int status, string type, string message)
    {
        context.Response.Headers["x-amzn-ErrorType"] = $"{type}:http://internal.amazon.com/coral/com.amazon.bedrock/";
        return AnthropicWire.WriteJsonAsync(context, new JsonObject { ["message"] = message }.ToJsonString(), status);
    }

    private static EventStreamMessage Message(string messageType, string typeHeader, string type, string json)
    {
        var headers = new List<IEventStreamHeader>();
        foreach (var (name, value) in new[] { (":message-type", messageType), (typeHeader, type), (":content-type", "application/json") })
        {
            var header = new EventStreamHeader(name);
            header.SetString(value);
            headers.Add(header);
        }
        return new EventStreamMessage(headers, Encoding.UTF8.GetBytes(json));
    }

    public static EventStreamMessage Event(string type, string json) => Message("event", ":event-type", type, json);

    public static EventStreamMessage Exception(string type, string message) =>
        Message("exception", ":exception-type", type, new JsonObject { ["message"] = message }.ToJsonString());

    public static EventStreamMessage Text(string text, int index = 0) =>
        Event("contentBlockDelta", new JsonObject { ["contentBlockIndex"] = index, ["delta"] = new JsonObject { ["text"] = text } }.ToJsonString());

    public static EventStreamMessage ToolStart(int index, string id, string name) =>
        Event("contentBlockStart", new JsonObject { ["contentBlockIndex"] = index, ["start"] = new JsonObject { ["toolUse"] = new JsonObject { ["toolUseId"] = id, ["name"] = name } } }.ToJsonString());

    public static EventStreamMessage ToolInput(int index, string fragment) =>
        Event("contentBlockDelta", new JsonObject { ["contentBlockIndex"] = index, ["delta"] = new JsonObject { ["toolUse"] = new JsonObject { ["input"] = fragment } } }.ToJsonString());

    public static EventStreamMessage Reasoning(int index, string? text = null, string? signature = null)
    {
        var reasoning = new JsonObject();
        if (text is not null) reasoning["text"] = text;
        if (signature is not null) reasoning["signature"] = signature;
        return Event("contentBlockDelta", new JsonObject { ["contentBlockIndex"] = index, ["delta"] = new JsonObject { ["reasoningContent"] = reasoning } }.ToJsonString());
    }

    public static EventStreamMessage BlockStop(int index) =>
        Event("contentBlockStop", new JsonObject { ["contentBlockIndex"] = index }.ToJsonString());

    public static EventStreamMessage MessageStop(string reason) =>
        Event("messageStop", new JsonObject { ["stopReason"] = reason }.ToJsonString());

    public static EventStreamMessage Metadata(int input, int output, int cacheRead = 0) =>
        Event("metadata", new JsonObject
        {
            ["usage"] = new JsonObject { ["inputTokens"] = input, ["outputTokens"] = output, ["cacheReadInputTokens"] = cacheRead, ["totalTokens"] = input + output },
            ["metrics"] = new JsonObject { ["latencyMs"] = 42 },
        }.ToJsonString());

    public ValueTask DisposeAsync() => _server.DisposeAsync();

    /// <summary>A config whose default provider is this Bedrock, signing with the test profile unless told otherwise.</summary>
    public string Config(string auth = $"\"profile\": \"{Profile}\"", string api = "converse") => $$"""
        {
          "defaultProvider": "bedrock",
          "providers": {
            "bedrock": { "type": "bedrock", "baseUrl": "{{BaseUrl}}", "region": "{{Region}}", "api": "{{api}}", {{auth}} }
          }
        }
        """;
}

/// <summary>
/// Points AWS's shared credentials file at a test file holding <see cref="ScriptedBedrock.Profile"/>, once for the
/// test process (the SDK reads <c>AWS_SHARED_CREDENTIALS_FILE</c>), so no test touches the real <c>~/.aws</c>.
/// A test about what the server reads from its environment runs the server in its own process instead, with
/// <see cref="ServerEnvironment"/>.
/// </summary>
public static class TestAwsProfile
{
    private static readonly Lazy<(string Credentials, string Config)> Files = new(() =>
    {
        var folder = Path.Combine(Path.GetTempPath(), "switchboard-aws-" + Environment.ProcessId);
        Directory.CreateDirectory(folder);
        var credentials = Path.Combine(folder, "credentials");
        System.IO.File.WriteAllText(credentials, $"""
            [{ScriptedBedrock.Profile}]
            aws_access_key_id = {ScriptedBedrock.AccessKey}
            aws_secret_access_key = {ScriptedBedrock.SecretKey}

            [wrong-secret]
            aws_access_key_id = {ScriptedBedrock.AccessKey}
            aws_secret_access_key = not-the-secret
            """);
        var config = Path.Combine(folder, "config");
        System.IO.File.WriteAllText(config, "");
        return (credentials, config);
    });

    private static readonly Lazy<bool> Installed = new(() =>
    {
        Environment.SetEnvironmentVariable("AWS_SHARED_CREDENTIALS_FILE", Files.Value.Credentials);
        Environment.SetEnvironmentVariable("AWS_CONFIG_FILE", Files.Value.Config);
        return true;
    });

    public static void Install() => _ = Installed.Value;

    /// <summary>
    /// The environment of a server in its own process: none of this machine's <c>AWS_*</c> settings (keys, region,
    /// profile), the test profile's files, then <paramref name="variables"/>.
    /// </summary>
    public static Dictionary<string, string?> ServerEnvironment(params (string Name, string Value)[] variables)
    {
        var environment = Environment.GetEnvironmentVariables().Keys.Cast<string>()
            .Where(name => name.StartsWith("AWS_", StringComparison.Ordinal))
            .ToDictionary(name => name, string? (_) => null);
        environment["AWS_SHARED_CREDENTIALS_FILE"] = Files.Value.Credentials;
        environment["AWS_CONFIG_FILE"] = Files.Value.Config;
        foreach (var (name, value) in variables) environment[name] = value;
        return environment;
    }
}
