using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Switchboard.Anthropic;
using Switchboard.Config;
using Switchboard.Providers;
using Switchboard.Sanitizing;
using Switchboard.Tests.Infrastructure;

namespace Switchboard.Tests.Sanitizing;

/// <summary>
/// Conversations as Claude Code 2.1.330 sent them (recorded in Fixtures/) or written out in a test, and the targets
/// they go to, for running the sanitizer without a server.
/// </summary>
public static class Histories
{
    /// <summary>A Kimi-style tool loop (ids <c>functions.Read:0</c>, <c>call.e2e:1#2</c>, synthesized thinking, a PNG read by
    /// the Read tool) as Claude Code sends it while the loop goes on: the last turn holds the tool results.</summary>
    public const string KimiToolLoop = "claude-code-2.1.330-kimi-tool-loop.json";

    /// <summary>The same session resumed with <c>--resume</c> and a new prompt.</summary>
    public const string KimiResumed = "claude-code-2.1.330-kimi-resumed.json";

    /// <summary>A first turn: system turn, cache marks, context_management, output_config, a deferred tool.</summary>
    public const string MainTurn = "claude-code-2.1.330-main-turn.json";

    public static string Fixture(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", name));

    public static ProviderCall Call(string json)
    {
        var body = Encoding.UTF8.GetBytes(json);
        var request = JsonSerializer.Deserialize(body, AnthropicJson.Default.MessagesRequest)!;
        return new ProviderCall
        {
            Request = request,
            OriginalRequest = request,
            OriginalBody = body,
            ClientHeaders = [],
        };
    }

    /// <summary>A request whose <c>messages</c> are <paramref name="messagesJson"/>.</summary>
    public static ProviderCall Messages(string messagesJson, string extra = "") =>
        Call($$"""{"model":"m","max_tokens":100,"stream":true{{extra}},"messages":{{messagesJson}}}""");

    private static readonly ProviderRegistry Registry = ProviderRegistry.CreateDefault(new UpstreamClient());

    /// <summary>The profile a provider of <paramref name="type"/>, named after its type, gives for <paramref name="model"/>.</summary>
    public static TargetProfile Target(string type, string? api = null, string model = "m", bool? vision = null)
    {
        var config = new ProviderConfig { Type = type, Vision = vision };
        if (api is not null) config = Registry.Get(type).Options.OfType<ProviderOption<string>>().Single(option => option.Key == "api").With(config, api);
        return TargetProfiles.For(Registry.Get(type).Create(type, config), config, model);
    }

    public static TargetProfile ToAnthropic => Target("anthropic");

    public static (ProviderCall Call, string Log) Prepare(ProviderCall call, TargetProfile target)
    {
        var logs = new CapturingLoggerProvider();
        var prepared = RequestSanitizer.Prepare(call, target, logs.CreateLogger("test"));
        return (prepared, logs.All);
    }

    /// <summary>The request as it would go up, as a JSON tree.</summary>
    public static JsonObject Sent(ProviderCall call) =>
        JsonSerializer.SerializeToNode(call.Request, AnthropicJson.Default.MessagesRequest)!.AsObject();

    public static IEnumerable<JsonObject> Blocks(JsonObject request, string type) =>
        request["messages"]!.AsArray().SelectMany(message => message!["content"] as JsonArray ?? [])
            .Select(block => block!.AsObject()).Where(block => block["type"]!.GetValue<string>() == type);

    public static ILogger Logger(CapturingLoggerProvider logs) => logs.CreateLogger("test");
}
