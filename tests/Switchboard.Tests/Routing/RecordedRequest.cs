using System.Text.Json;
using Switchboard.Anthropic;

namespace Switchboard.Tests.Routing;

/// <summary>Requests recorded from Claude Code 2.1.330 (Fixtures/requests): the body and the x-claude-code-* headers.</summary>
public static class RecordedClaudeCode
{
    public static (MessagesRequest Request, List<KeyValuePair<string, string>> Headers) Load(string name, bool withHints = true)
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Fixtures", "requests", name + ".json")));
        var request = document.RootElement.GetProperty("body").Deserialize(AnthropicJson.Default.MessagesRequest)!;
        var headers = withHints
            ? document.RootElement.GetProperty("headers").EnumerateObject().Select(h => new KeyValuePair<string, string>(h.Name, h.Value.GetString()!)).ToList()
            : [];
        return (request, headers);
    }

    /// <summary>
    /// The recording as an HTTP request to Switchboard, with the headers Claude Code sent. <paramref name="asRetried"/>:
    /// as Claude Code sends it again after a target refused auto mode's <c>safeguards</c> (without them).
    /// </summary>
    public static HttpRequestMessage HttpRequest(string name, string path = "/v1/messages", bool asRetried = false)
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Fixtures", "requests", name + ".json")));
        var body = System.Text.Json.Nodes.JsonNode.Parse(document.RootElement.GetProperty("body").GetRawText())!.AsObject();
        if (asRetried) body.Remove("safeguards");
        var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = Infrastructure.AnthropicWire.Json(body.ToJsonString()),
        };
        foreach (var header in document.RootElement.GetProperty("headers").EnumerateObject())
            request.Headers.TryAddWithoutValidation(header.Name, header.Value.GetString());
        return request;
    }
}
