using Microsoft.AspNetCore.Http;
using Microsoft.Playwright;
using Shouldly;
using Switchboard.Tests.Infrastructure;

namespace Switchboard.Tests.Hosting;

/// <summary>
/// The attack itself, in headless Chromium: a page from another site (here another loopback port) makes the browser
/// post to Switchboard the way a page may without asking (a no-cors text/plain POST), and tries a JSON POST that
/// needs the browser's preflight. The requests reach Switchboard, and nothing reaches the provider.
/// </summary>
public sealed class CrossSiteBrowserTests : IAsyncLifetime
{
    private const string Chromium = "/usr/bin/chromium";
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private ScriptedUpstream _provider = null!;
    private ScriptedUpstream _otherSite = null!;
    private RunningSwitchboard _switchboard = null!;
    private IPlaywright _playwright = null!;
    private IBrowser _browser = null!;

    public async ValueTask InitializeAsync()
    {
        _provider = await ScriptedUpstream.StartAsync((context, _) => AnthropicWire.WriteSseAsync(context, AnthropicWire.TextStream("m", "spent")));
        // No apiKey: the configuration a web page would find on most machines.
        _switchboard = await RunningSwitchboard.StartAsync(RunningSwitchboard.AnthropicConfig(_provider.BaseUrl));
        _otherSite = await ScriptedUpstream.StartAsync(async (context, _) =>
        {
            context.Response.ContentType = "text/html; charset=utf-8";
            await context.Response.WriteAsync("<!doctype html><title>another site</title>", Cancel);
        });
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new() { ExecutablePath = Chromium, Headless = true });
    }

    public async ValueTask DisposeAsync()
    {
        await _browser.DisposeAsync();
        _playwright.Dispose();
        await _otherSite.DisposeAsync();
        await _switchboard.DisposeAsync();
        await _provider.DisposeAsync();
    }

    [Fact]
    public async Task PageFromAnotherSite_PostsToMessages_NothingReachesTheProvider()
    {
        // Given a page from another site open in the browser
        var page = await _browser.NewPageAsync();
        await page.GotoAsync(_otherSite.BaseUrl + "/");
        var messages = _switchboard.Address.GetLeftPart(UriPartial.Authority) + "/v1/messages";

        // When it posts a Messages request: no-cors as text/plain, and as JSON (which needs a preflight)
        var outcomes = await page.EvaluateAsync<string[]>("""
            async ([url, body]) => {
              const results = [];
              try { const r = await fetch(url, { method: 'POST', body, headers: { 'Content-Type': 'text/plain' }, mode: 'no-cors' }); results.push('no-cors:' + r.type); }
              catch (e) { results.push('no-cors:' + e.name); }
              try { const r = await fetch(url, { method: 'POST', body, headers: { 'Content-Type': 'application/json' } }); results.push('json:' + r.status); }
              catch (e) { results.push('json:' + e.name); }
              return results;
            }
            """, new[] { messages, AnthropicWire.Request() });

        // Then the browser got nothing it could read, Switchboard refused what reached it, and the provider heard nothing
        outcomes.ShouldBe(["no-cors:opaque", "json:TypeError"]);
        await Eventually.WaitAsync(() => _switchboard.Logs.All.Contains(" 403 ", StringComparison.Ordinal), "Switchboard logging the refused request");
        _provider.Requests.ShouldBeEmpty();
    }
}
