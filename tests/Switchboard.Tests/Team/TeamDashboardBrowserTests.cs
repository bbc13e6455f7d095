using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using Microsoft.Playwright;
using Shouldly;
using Switchboard.Hosting.Team.Admin;
using Switchboard.Ledger;
using Switchboard.Team;
using Switchboard.Tests.Infrastructure;
using Switchboard.Tests.Infrastructure.Engines;
using static Microsoft.Playwright.Assertions;
using static Switchboard.Tests.Team.TeamAdminApiTests;
using static Switchboard.Tests.Team.TeamPostgres;

namespace Switchboard.Tests.Team;

/// <summary>
/// Issue 17, item 9: the dashboard's team pages in headless Chromium (Debian's /usr/bin/chromium), against a real
/// replica on real PostgreSQL and Redis that has served requests to a scripted upstream. An admin signs in with their
/// own key and sees the team's users, groups, keys and usage by user and group; creates a key (shown once, then gone
/// from the page), revokes one (the replica then refuses it), sets and deletes a limit. A member's key is told it needs
/// an admin's. Screenshots go to artifacts/team-dashboard.
/// </summary>
[Collection(TeamPostgres.Name)]
public sealed class TeamDashboardBrowserTests(PostgresServer postgres, RedisServer redis) : IClassFixture<RedisServer>, IAsyncLifetime
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;
    private static string Artifacts { get; } = Path.Combine(AppContext.BaseDirectory, "artifacts", "team-dashboard");

    private HeadlessChromium _chromium = null!;
    private readonly List<string> _browserErrors = [];

    public async ValueTask InitializeAsync()
    {
        Directory.CreateDirectory(Artifacts);
        _chromium = await HeadlessChromium.StartAsync();
    }

    public ValueTask DisposeAsync() => _chromium.DisposeAsync();

    [Fact]
    public async Task Admin_SignsInWithTheirKey_SeesTheTeamAndItsUsage_CreatesAKeyShownOnce_RevokesIt_SetsAndDeletesALimit()
    {
        // Given a team: an admin, Ada in platform and Bob in research, and requests sent through the replica
        await using var world = await World.StartAsync(postgres, redis);
        var admin = await world.UserKeyAsync("root@example.com", TeamUser.Admin);
        var ada = await world.UserKeyAsync("ada@example.com", TeamUser.Member);
        var bob = await world.UserKeyAsync("bob@example.com", TeamUser.Member);
        await AdminAsync(world, HttpMethod.Post, "/api/team/groups", """{"name":"platform"}""");
        await AdminAsync(world, HttpMethod.Post, "/api/team/groups", """{"name":"research"}""");
        await AdminAsync(world, HttpMethod.Post, "/api/team/groups/platform/members", """{"user":"ada@example.com"}""");
        await AdminAsync(world, HttpMethod.Post, "/api/team/groups/research/members", """{"user":"bob@example.com"}""");
        foreach (var key in new[] { ada, ada, bob }) (await world.MessageAsync(key)).ShouldBe(HttpStatusCode.OK);
        await Eventually.WaitAsync(() => ScalarAsync<long>(world.Database, "SELECT count(*) FROM requests"), count => count == 3,
            count => $"the team ledger to hold the 3 requests (it holds {count})");
        await AdminAsync(world, HttpMethod.Put, "/api/team/groups/research/policy", """{"allowedModels":["claude-haiku-*"]}""");
        var today = UsagePeriod.Parse("today", TimeProvider.System)!;
        var byUser = world.Replica.Server.Usage.Reader!.Totals(today.From, today.To, UsageGrouping.User).ToDictionary(t => t.Key);
        byUser["ada@example.com"].Cost.ShouldBeGreaterThan(0, "the upstream's usage is priced");

        // When the admin opens the dashboard and signs in with their own key
        var page = await OpenAsync(world);
        await Expect(page.Locator("#login")).ToContainTextAsync("Switchboard key (sb-…)");
        await SignInAsync(page, admin);

        // Then the team's usage by user and group is the ledger's: every request once, with its tokens and cost
        await Expect(page.GetByTestId("total-requests")).ToHaveTextAsync("3");
        await ExpectUsageAsync(page, "team-by-user", "ada@example.com", requests: 2, byUser["ada@example.com"].Cost);
        await ExpectUsageAsync(page, "team-by-user", "bob@example.com", requests: 1, byUser["bob@example.com"].Cost);
        await ExpectUsageAsync(page, "team-by-group", "platform", requests: 2, byUser["ada@example.com"].Cost);
        await ExpectUsageAsync(page, "team-by-group", "research", requests: 1, byUser["bob@example.com"].Cost);
        await Expect(page.Locator("[data-testid=team-by-user] tr[data-key]")).ToHaveCountAsync(2);

        // And the users, groups (with their policy) and keys, never a key's value
        var users = page.GetByTestId("team-users");
        await Expect(users.Locator("tr[data-key='ada@example.com'] [data-col=groups]")).ToHaveTextAsync("platform");
        await Expect(users.Locator("tr[data-key='ada@example.com'] [data-col=role]")).ToHaveTextAsync("member");
        await Expect(users.Locator("tr[data-key='root@example.com'] [data-col=role]")).ToHaveTextAsync("admin");
        await Expect(users.Locator("tr[data-key='bob@example.com'] [data-col=disabled]")).ToHaveTextAsync("no");
        var groups = page.GetByTestId("team-groups");
        await Expect(groups.Locator("tr[data-key=platform] [data-col=members]")).ToHaveTextAsync("ada@example.com");
        await Expect(groups.Locator("tr[data-key=platform] [data-col=policy]")).ToHaveTextAsync("any provider and model");
        await Expect(groups.Locator("tr[data-key=research] [data-col=policy]")).ToHaveTextAsync("models claude-haiku-*");
        var keys = page.GetByTestId("team-keys");
        await Expect(keys.Locator("tr[data-key]")).ToHaveCountAsync(3);
        await Expect(keys.Locator($"tr[data-key='{Prefix(ada)}'] [data-col=userId]")).ToHaveTextAsync("ada@example.com");
        await Expect(keys.Locator($"tr[data-key='{Prefix(ada)}'] [data-col=revokedAt]")).ToHaveTextAsync("no");
        await ShouldNotShowAsync(page, admin, ada, bob);
        (await page.EvaluateAsync<string>("sessionStorage.getItem('switchboard-key')")).ShouldBe(admin, "the key is kept for this tab");
        (await page.EvaluateAsync<int>("localStorage.length")).ShouldBe(0);
        (await page.EvaluateAsync<string>("document.cookie")).ShouldBeEmpty();
        await page.ScreenshotAsync(new() { Path = Path.Combine(Artifacts, "1-team.png"), FullPage = true });

        // When the admin creates a key for Ada
        await page.Locator("#team-key-form select[name=user]").SelectOptionAsync(new SelectOptionValue { Label = "ada@example.com" });
        await page.FillAsync("#team-key-form input[name=name]", "ci");
        await page.ClickAsync("#team-key-form button[type=submit]");

        // Then its value is shown once, with a note saying so, and it works
        var shown = page.GetByTestId("team-new-key-value");
        await Expect(shown).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^sb-[a-z0-9]{8}-"));
        var created = await shown.TextContentAsync();
        await Expect(page.GetByTestId("team-new-key")).ToContainTextAsync("shown once");
        await Expect(keys.Locator($"tr[data-key='{Prefix(created!)}'] [data-col=name]")).ToHaveTextAsync("ci");
        await page.ScreenshotAsync(new() { Path = Path.Combine(Artifacts, "2-key-created.png"), FullPage = true });
        (await world.MessageAsync(created!)).ShouldBe(HttpStatusCode.OK, "the replica now holds the new key in its cache");

        // And once the panel is closed the value is nowhere on the page
        await page.GetByTestId("team-new-key-close").ClickAsync();
        await Expect(page.GetByTestId("team-new-key")).ToBeHiddenAsync();
        await ShouldNotShowAsync(page, created!);

        // When the admin revokes it (a second click confirms)
        var row = keys.Locator($"tr[data-key='{Prefix(created!)}']");
        await row.GetByTestId("revoke").ClickAsync();
        await Expect(row.GetByTestId("revoke")).ToHaveTextAsync("Really revoke?");
        await row.GetByTestId("revoke").ClickAsync();

        // Then the page says so, and the replica refuses the key at once
        await Expect(page.GetByTestId("team-keys-status")).ToContainTextAsync("revoked on every replica");
        await Expect(row.Locator("[data-col=revokedAt]")).Not.ToHaveTextAsync("no");
        await Expect(row.GetByTestId("revoke")).ToHaveCountAsync(0);
        (await world.MessageAsync(created!)).ShouldBe(HttpStatusCode.Unauthorized);

        // When the admin sets a daily spend cap on Ada
        await page.Locator("#team-limit-form select[name=subject]").SelectOptionAsync("user");
        await page.FillAsync("#team-limit-form input[name=of]", "ada@example.com");
        await page.Locator("#team-limit-form select[name=kind]").SelectOptionAsync("spend_usd");
        await page.Locator("#team-limit-form select[name=period]").SelectOptionAsync("day");
        await page.FillAsync("#team-limit-form input[name=amount]", "5");
        await page.ClickAsync("#team-limit-form button[type=submit]");

        // Then it is listed and stored
        var limit = page.Locator("[data-testid=team-limits] tr[data-key='user:ada@example.com:spend_usd:day']");
        await Expect(limit.Locator("[data-col=amount]")).ToHaveTextAsync("$5.00");
        var stored = (await LimitsAsync(world)).Limits.ShouldHaveSingleItem();
        (stored.Subject, stored.Kind, stored.Period, stored.Amount).ShouldBe(("user", "spend_usd", "day", 5m));
        await page.ScreenshotAsync(new() { Path = Path.Combine(Artifacts, "3-limit-set.png"), FullPage = true });

        // When a limit that cannot be set is asked for, the API's message says what to fix
        await page.FillAsync("#team-limit-form input[name=of]", "nobody@example.com");
        await page.ClickAsync("#team-limit-form button[type=submit]");
        await Expect(page.GetByTestId("team-limits-status")).ToContainTextAsync("There is no user nobody@example.com");

        // When the admin deletes the cap, it is gone from the page and the store
        await limit.GetByTestId("delete").ClickAsync();
        await limit.GetByTestId("delete").ClickAsync();
        await Expect(page.Locator("[data-testid=team-limits] tr[data-key]")).ToHaveCountAsync(0);
        (await LimitsAsync(world)).Limits.ShouldBeEmpty();

        // And every change the page made is audited with the signed-in admin as its actor
        var adminId = (await new TeamUsers(world.Database).FindByEmailAsync("root@example.com", Cancel))!.Id;
        var changes = (await AuditAsync(world.Database, TeamAudit.AdminChange)).Where(row => row.StartsWith(adminId + " ", StringComparison.Ordinal)).ToList();
        changes.Count(row => row.Contains("key_created", StringComparison.Ordinal)).ShouldBe(1);
        changes.Count(row => row.Contains("key_revoked", StringComparison.Ordinal)).ShouldBe(1);
        changes.Count.ShouldBe(4, string.Join("\n", changes));
        _browserErrors.ShouldBeEmpty();
    }

    [Fact]
    public async Task Member_SigningIn_IsToldAnAdminKeyIsNeeded_AndSignsOut()
    {
        await using var world = await World.StartAsync(postgres, redis);
        var member = await world.UserKeyAsync("ada@example.com", TeamUser.Member);
        (await world.MessageAsync(member)).ShouldBe(HttpStatusCode.OK);

        var page = await OpenAsync(world);
        await SignInAsync(page, member);

        await Expect(page.GetByTestId("team-admin-needed")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("team-admin-needed")).ToContainTextAsync("needs an admin's key");
        await Expect(page.Locator("#dashboard")).ToBeHiddenAsync();
        await page.ScreenshotAsync(new() { Path = Path.Combine(Artifacts, "4-member.png"), FullPage = true });
        // What the page would have loaded is refused by the server too, not only hidden
        foreach (var path in new[] { "/ui/api/config", "/ui/api/live", "/ui/api/summary?period=today", "/api/team/users" })
        {
            using var refused = await Send(world.Replica.Client, HttpMethod.Get, path, member);
            refused.StatusCode.ShouldBe(HttpStatusCode.Forbidden, path);
        }

        await page.GetByTestId("sign-out").ClickAsync();
        await Expect(page.Locator("#login")).ToBeVisibleAsync();
        (await page.EvaluateAsync<string?>("sessionStorage.getItem('switchboard-key')")).ShouldBeNull();
        _browserErrors.ShouldBeEmpty();
    }

    private async Task<IPage> OpenAsync(World world)
    {
        var page = await _chromium.Browser.NewPageAsync(new() { ViewportSize = new() { Width = 1280, Height = 900 } });
        // Script errors only: refused requests (401 before signing in, 403 for a member, 404 for a bad limit) are expected.
        page.Console += (_, message) =>
        {
            if (message.Type == "error" && !message.Text.StartsWith("Failed to load resource", StringComparison.Ordinal))
                _browserErrors.Add(message.Text);
        };
        page.PageError += (_, error) => _browserErrors.Add(error);
        await page.GotoAsync(new Uri(world.Replica.Address, "/ui/").ToString());
        return page;
    }

    private static async Task SignInAsync(IPage page, string key)
    {
        await Expect(page.Locator("#login")).ToBeVisibleAsync();
        await page.FillAsync("#login input[name=key]", key);
        await page.ClickAsync("#login button");
    }

    private static async Task ExpectUsageAsync(IPage page, string table, string key, int requests, double cost)
    {
        // The scripted upstream answers each request with 10 input and 5 output tokens.
        var row = page.Locator($"[data-testid={table}] tr[data-key='{key}']");
        await Expect(row.Locator("[data-col=requests]")).ToHaveTextAsync(requests.ToString(CultureInfo.InvariantCulture));
        await Expect(row.Locator("[data-col=inputTokens]")).ToHaveTextAsync((10 * requests).ToString(CultureInfo.InvariantCulture));
        await Expect(row.Locator("[data-col=outputTokens]")).ToHaveTextAsync((5 * requests).ToString(CultureInfo.InvariantCulture));
        await Expect(row.Locator("[data-col=tokens]")).ToHaveTextAsync((15 * requests).ToString(CultureInfo.InvariantCulture));
        await Expect(row.Locator("[data-col=cost]")).ToHaveTextAsync("$" + cost.ToString("F4", CultureInfo.InvariantCulture));
    }

    /// <summary>Neither the page's markup nor any form field holds these keys' values.</summary>
    private static async Task ShouldNotShowAsync(IPage page, params string[] keys)
    {
        var html = await page.ContentAsync();
        var fields = await page.EvaluateAsync<string[]>("[...document.querySelectorAll('input, textarea')].map(e => e.value)");
        foreach (var key in keys)
        {
            html.ShouldNotContain(key);
            fields.ShouldNotContain(key);
        }
    }

    private static string Prefix(string key) => key.Split('-')[1];

    private static async Task AdminAsync(World world, HttpMethod method, string path, string body)
    {
        using var response = await world.SendAsync(method, path, OperatorKey, body);
        response.IsSuccessStatusCode.ShouldBeTrue(await response.Content.ReadAsStringAsync(Cancel));
    }

    private static async Task<AdminLimitList> LimitsAsync(World world)
    {
        using var response = await world.SendAsync(HttpMethod.Get, "/api/team/limits", OperatorKey);
        return (await response.Content.ReadFromJsonAsync(TeamAdminJson.Default.AdminLimitList, Cancel))!;
    }
}
