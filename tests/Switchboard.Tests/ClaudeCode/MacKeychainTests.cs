using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using Shouldly;
using Switchboard.Providers.Anthropic;
using Switchboard.Tests.EndToEnd;
using Switchboard.Tests.Infrastructure;

namespace Switchboard.Tests.ClaudeCode;

/// <summary>
/// Discovery mode on macOS, where Claude Code keeps its login in the keychain, not in <c>.credentials.json</c>. The
/// keychain is played by a script standing in for <c>/usr/bin/security</c> that answers only the exact question
/// Claude Code 2.1.330 asks (names read from its binary) and exits 44 (errSecItemNotFound) otherwise.
/// </summary>
public sealed class MacKeychainTests : IAsyncLifetime
{
    private readonly TempHome _folder = new();
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private ScriptedUpstream _anthropic = null!;
    private RunningSwitchboard _switchboard = null!;
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private string Security => Path.Combine(_folder.Folder, "security");
    private string SecurityLog => Path.Combine(_folder.Folder, "security.log");
    private string Stored => Path.Combine(_folder.Folder, "keychain-item");
    private string ClaudeConfigDirectory => Path.Combine(_folder.Folder, "claude");

    private static string Credentials(string token, DateTimeOffset expires) =>
        new JsonObject { ["claudeAiOauth"] = new JsonObject { ["accessToken"] = token, ["expiresAt"] = expires.ToUnixTimeMilliseconds() } }.ToJsonString();

    private void StoreInKeychain(string value) => File.WriteAllText(Stored, value);

    public async ValueTask InitializeAsync()
    {
        Directory.CreateDirectory(ClaudeConfigDirectory);
        File.WriteAllText(Security, $"""
            #!/bin/sh
            echo "$*" >> '{SecurityLog}'
            if [ "$*" = "find-generic-password -a me -w -s Claude Code-credentials" ] && [ -f '{Stored}' ]; then cat '{Stored}'; exit 0; fi
            echo 'security: SecKeychainSearchCopyNext: The specified item could not be found in the keychain.' >&2
            exit 44
            """.Replace("\r", ""));
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(Security, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        var model = new ScriptedAnthropicModel { Decide = _ => new ScriptedAnthropicModel.Text("ok") };
        _anthropic = await ScriptedUpstream.StartAsync(model.HandleAsync);
        var keychain = new MacKeychain(Security, MacKeychain.ServiceName(null), MacKeychain.AccountName("me"), _time);
        _switchboard = await RunningSwitchboard.StartAsync($$"""
            { "providers": { "anthropic": { "type": "anthropic", "baseUrl": "{{_anthropic.BaseUrl}}" } } }
            """, options => options with { ClaudeConfigDirectory = ClaudeConfigDirectory, Keychain = keychain, Time = _time });
    }

    public async ValueTask DisposeAsync()
    {
        await _switchboard.DisposeAsync();
        await _anthropic.DisposeAsync();
        _folder.Dispose();
    }

    private async Task<HttpResponseMessage> SendAsync()
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/v1/messages") { Content = AnthropicWire.Json(AnthropicWire.Request("claude-sonnet-4-5", stream: false)) };
        request.Headers.TryAddWithoutValidation("authorization", "Bearer " + SubscriptionToken.Sentinel);
        return await _switchboard.Client.SendAsync(request, Cancel);
    }

    private string[] KeychainQuestions() => File.Exists(SecurityLog) ? File.ReadAllLines(SecurityLog) : [];

    [Fact]
    public void Names_MatchClaudeCodes_WithTheConfigDirectoryHashOnlyWhenItIsSet()
    {
        // Expected hashes computed by Node's crypto, as Claude Code computes them.
        MacKeychain.ServiceName(null).ShouldBe("Claude Code-credentials");
        MacKeychain.ServiceName("").ShouldBe("Claude Code-credentials");
        MacKeychain.ServiceName("/Users/me/.claude-work").ShouldBe("Claude Code-credentials-1e91dd84");
        MacKeychain.AccountName("me").ShouldBe("me");
        MacKeychain.AccountName("John Smith").ShouldBe("claude-code-user");
    }

    [Fact]
    public async Task Sentinel_OnMacOS_BecomesTheTokenFromTheKeychain_ReusedFor30Seconds()
    {
        StoreInKeychain(Credentials("sk-ant-oat01-FROM-KEYCHAIN", _time.GetUtcNow().AddHours(1)));

        using var first = await SendAsync();
        using var second = await SendAsync();

        first.StatusCode.ShouldBe(HttpStatusCode.OK);
        _anthropic.Requests.Select(r => r.Header("authorization")).ShouldBe(["Bearer sk-ant-oat01-FROM-KEYCHAIN", "Bearer sk-ant-oat01-FROM-KEYCHAIN"]);
        KeychainQuestions().ShouldBe(["find-generic-password -a me -w -s Claude Code-credentials"]);

        // When Claude Code rotates the token and 30 s pass, the keychain is asked again
        StoreInKeychain(Credentials("sk-ant-oat01-ROTATED", _time.GetUtcNow().AddHours(2)));
        _time.Advance(TimeSpan.FromSeconds(31));
        (await SendAsync()).Dispose();

        _anthropic.Requests.Last().Header("authorization").ShouldBe("Bearer sk-ant-oat01-ROTATED");
        KeychainQuestions().Length.ShouldBe(2);
        _switchboard.Logs.All.ShouldNotContain("FROM-KEYCHAIN");
    }

    [Fact]
    public async Task ExpiredKeychainToken_IsAClear401_AndTheNextRequestAsksTheKeychainAgain()
    {
        StoreInKeychain(Credentials("sk-ant-oat01-OLD", _time.GetUtcNow().AddMinutes(-1)));
        using var expired = await SendAsync();
        (await expired.ShouldBeAnthropicErrorAsync(HttpStatusCode.Unauthorized, "authentication_error")).ShouldContain("expired");

        // Claude Code refreshes it at once; the router does not wait out its 30 s reuse to see that
        StoreInKeychain(Credentials("sk-ant-oat01-REFRESHED", _time.GetUtcNow().AddHours(1)));
        using var refreshed = await SendAsync();

        refreshed.StatusCode.ShouldBe(HttpStatusCode.OK);
        _anthropic.Requests.Single().Header("authorization").ShouldBe("Bearer sk-ant-oat01-REFRESHED");
    }

    [Fact]
    public async Task NoKeychainItem_FallsBackToTheCredentialsFile_AndWithNeitherSaysWhereItLooked()
    {
        using var neither = await SendAsync();
        var message = await neither.ShouldBeAnthropicErrorAsync(HttpStatusCode.Unauthorized, "authentication_error");
        message.ShouldContain("the macOS keychain (\"Claude Code-credentials\")");
        message.ShouldContain(Path.Combine(ClaudeConfigDirectory, ".credentials.json"));

        File.WriteAllText(Path.Combine(ClaudeConfigDirectory, ".credentials.json"), Credentials("sk-ant-oat01-FROM-FILE", DateTimeOffset.UtcNow.AddHours(1)));
        _time.Advance(TimeSpan.FromSeconds(31));
        using var fromFile = await SendAsync();

        fromFile.StatusCode.ShouldBe(HttpStatusCode.OK);
        _anthropic.Requests.Single().Header("authorization").ShouldBe("Bearer sk-ant-oat01-FROM-FILE");
    }

    [Fact]
    public async Task KeychainValueStoredAsBytes_PrintedInHex_IsDecoded()
    {
        // Claude Code stores the item with `add-generic-password -X HEX`; `-w` prints such a value in hex when it is not plain text.
        StoreInKeychain(Convert.ToHexStringLower(Encoding.UTF8.GetBytes(Credentials("sk-ant-oat01-HEX", _time.GetUtcNow().AddHours(1)))));

        using var response = await SendAsync();

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        _anthropic.Requests.Single().Header("authorization").ShouldBe("Bearer sk-ant-oat01-HEX");
    }
}
