using System.Net;
using System.Text.Json.Nodes;
using Shouldly;
using Switchboard.Providers.Anthropic;
using Switchboard.Tests.EndToEnd;
using Switchboard.Tests.Infrastructure;

namespace Switchboard.Tests.ClaudeCode;

/// <summary>Discovery mode's swap: the sentinel becomes the live subscription token for Anthropic, and nothing for others.</summary>
public sealed class SubscriptionSwapTests : IAsyncLifetime
{
    private readonly TempHome _claudeDir = new();
    private ScriptedUpstream _anthropic = null!;
    private ScriptedOllama _ollama = null!;
    private RunningSwitchboard _switchboard = null!;
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private string CredentialsFile => Path.Combine(_claudeDir.Folder, ".credentials.json");

    private void WriteToken(string token, DateTimeOffset expires) => File.WriteAllText(CredentialsFile,
        new JsonObject { ["claudeAiOauth"] = new JsonObject { ["accessToken"] = token, ["refreshToken"] = "sk-ant-ort01-REFRESH", ["expiresAt"] = expires.ToUnixTimeMilliseconds() } }.ToJsonString());

    public async ValueTask InitializeAsync()
    {
        var model = new ScriptedAnthropicModel { Decide = _ => new ScriptedAnthropicModel.Text("ok") };
        _anthropic = await ScriptedUpstream.StartAsync(model.HandleAsync);
        _ollama = await ScriptedOllama.StartAsync();
        WriteToken("sk-ant-oat01-LIVE-TOKEN", DateTimeOffset.UtcNow.AddHours(1));
        _switchboard = await RunningSwitchboard.StartAsync($$"""
            {
              "defaultProvider": "anthropic",
              "providers": {
                "anthropic": { "type": "anthropic", "baseUrl": "{{_anthropic.BaseUrl}}" },
                "ollama-local": { "type": "ollama", "baseUrl": "{{_ollama.BaseUrl}}" }
              }
            }
            """, options => options with { ClaudeConfigDirectory = _claudeDir.Folder });
    }

    public async ValueTask DisposeAsync()
    {
        await _switchboard.DisposeAsync();
        await _ollama.DisposeAsync();
        await _anthropic.DisposeAsync();
        _claudeDir.Dispose();
    }

    private async Task<HttpResponseMessage> SendAsync(string model, string? beta = "claude-code-20250219")
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/v1/messages") { Content = AnthropicWire.Json(AnthropicWire.Request(model, stream: false)) };
        request.Headers.TryAddWithoutValidation("authorization", "Bearer " + SubscriptionToken.Sentinel);
        if (beta is not null) request.Headers.TryAddWithoutValidation("anthropic-beta", beta);
        return await _switchboard.Client.SendAsync(request, Cancel);
    }

    [Fact]
    public async Task Sentinel_ToAnthropic_BecomesTheLiveSubscriptionTokenWithTheOAuthBeta()
    {
        using var response = await SendAsync("claude-sonnet-4-5");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var seen = _anthropic.Requests.Single();
        seen.Header("authorization").ShouldBe("Bearer sk-ant-oat01-LIVE-TOKEN");
        seen.Header("anthropic-beta")!.Split(',').Select(b => b.Trim()).ShouldBe(["claude-code-20250219", "oauth-2025-04-20"], ignoreOrder: true);
        seen.Headers.Values.SelectMany(v => v).ShouldNotContain(v => v!.Contains(SubscriptionToken.Sentinel));
        _switchboard.Logs.All.ShouldNotContain("LIVE-TOKEN");
    }

    [Fact]
    public async Task Sentinel_ToAnotherProvider_ReachesItNeitherAsSentinelNorAsToken()
    {
        using var response = await SendAsync("ollama-local:qwen3:8b");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        _ollama.Requests.ShouldNotBeEmpty();
        _ollama.Requests.ShouldAllBe(r => r.Header("authorization") == null && !r.BodyText.Contains("LIVE-TOKEN") && !r.BodyText.Contains(SubscriptionToken.Sentinel));
        _anthropic.Requests.ShouldBeEmpty();
    }

    [Fact]
    public async Task RotatedToken_IsReadOnTheNextRequest()
    {
        (await SendAsync("claude-sonnet-4-5")).Dispose();
        WriteToken("sk-ant-oat01-ROTATED", DateTimeOffset.UtcNow.AddHours(2));

        (await SendAsync("claude-sonnet-4-5")).Dispose();

        _anthropic.Requests.Select(r => r.Header("authorization")).ShouldBe(["Bearer sk-ant-oat01-LIVE-TOKEN", "Bearer sk-ant-oat01-ROTATED"]);
    }

    [Fact]
    public async Task ExpiredOrMissingToken_IsAClear401_AndAnthropicIsNotAsked()
    {
        WriteToken("sk-ant-oat01-OLD", DateTimeOffset.UtcNow.AddMinutes(-5));
        using var expired = await SendAsync("claude-sonnet-4-5");
        (await expired.ShouldBeAnthropicErrorAsync(HttpStatusCode.Unauthorized, "authentication_error")).ShouldContain("expired");

        File.Delete(CredentialsFile);
        using var missing = await SendAsync("claude-sonnet-4-5");
        (await missing.ShouldBeAnthropicErrorAsync(HttpStatusCode.Unauthorized, "authentication_error")).ShouldContain("--no-discovery");

        _anthropic.Requests.ShouldBeEmpty();
    }

    [Fact]
    public async Task Sentinel_WithAnApiKeyAndNoSubscriptionLogin_SendsTheKeyAndDropsTheSentinel()
    {
        File.Delete(CredentialsFile);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/messages") { Content = AnthropicWire.Json(AnthropicWire.Request("claude-sonnet-4-5", stream: false)) };
        request.Headers.TryAddWithoutValidation("authorization", "Bearer " + SubscriptionToken.Sentinel);
        request.Headers.TryAddWithoutValidation("x-api-key", "sk-ant-api03-USER-KEY");

        using var response = await _switchboard.Client.SendAsync(request, Cancel);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var seen = _anthropic.Requests.Single();
        seen.Header("x-api-key").ShouldBe("sk-ant-api03-USER-KEY");
        seen.Header("authorization").ShouldBeNull();
    }

    [Fact]
    public async Task ModelList_WithTheSentinel_AsksAnthropicWithTheLiveToken()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/models?limit=1000");
        request.Headers.TryAddWithoutValidation("authorization", "Bearer " + SubscriptionToken.Sentinel);

        using var response = await _switchboard.Client.SendAsync(request, Cancel);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        _anthropic.Requests.Single(r => r.Path == "/v1/models").Header("authorization").ShouldBe("Bearer sk-ant-oat01-LIVE-TOKEN");
    }
}
