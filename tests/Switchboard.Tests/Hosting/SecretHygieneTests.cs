using Shouldly;
using Switchboard.Tests.Infrastructure;

namespace Switchboard.Tests.Hosting;

public sealed class SecretHygieneTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Logs_AfterAuthenticatedRequestsAndFailures_NeverContainKeysOrTokens()
    {
        // Given traffic that carries every kind of credential, including requests that fail
        await using var upstream = await ScriptedUpstream.StartAsync((context, recorded) => recorded.BodyText.Contains("fail")
            ? AnthropicWire.WriteJsonAsync(context, AnthropicWire.Error("authentication_error", "invalid x-api-key"), 401)
            : AnthropicWire.WriteSseAsync(context, AnthropicWire.TextStream("m", "ok")));
        await using var switchboard = await RunningSwitchboard.StartAsync(RunningSwitchboard.AnthropicConfig(upstream.BaseUrl,
            extraTopLevel: "\"apiKey\": \"sb-secret-door-key\","));
        string[] secrets = ["sb-secret-door-key", "sk-ant-api03-SECRET", "sk-ant-oat01-SECRET"];
        foreach (var (header, value, text) in new[]
                 {
                     ("x-api-key", "sk-ant-api03-SECRET", "hi"),
                     ("authorization", "Bearer sk-ant-oat01-SECRET", "fail"),
                     ("x-api-key", "wrong-door-key", "hi"),
                 })
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/messages") { Content = AnthropicWire.Json(AnthropicWire.Request(text: text)) };
            request.Headers.TryAddWithoutValidation("x-switchboard-key", value == "wrong-door-key" ? value : "sb-secret-door-key");
            request.Headers.TryAddWithoutValidation(header, value);
            using var _ = await switchboard.Client.SendAsync(request, Cancel);
        }

        // Then the log (at debug level) mentions the requests but none of the secrets
        var log = switchboard.Logs.All;
        log.ShouldContain("POST /v1/messages");
        foreach (var secret in secrets) log.ShouldNotContain(secret);
    }
}
