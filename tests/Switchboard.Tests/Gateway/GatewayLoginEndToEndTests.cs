using System.Text.RegularExpressions;
using Shouldly;
using Switchboard.Team;
using Switchboard.Tests.EndToEnd;
using Switchboard.Tests.Infrastructure;
using Switchboard.Tests.Infrastructure.Engines;
using Switchboard.Tests.Team;
using static Switchboard.Tests.Team.TeamPostgres;

namespace Switchboard.Tests.Gateway;

/// <summary>
/// Issue 18, item 8 end to end: <c>switchboard login</c> runs the device flow against three real replicas behind a
/// real HAProxy (the person approves on the verification page), keeps the credential 0600, and <c>switchboard
/// code</c> hands it to the real Claude Code in gateway mode (<c>CLAUDE_CODE_USE_GATEWAY</c>); a tool loop runs
/// through the gateway to a scripted model that sees only the gateway's own key. <c>switchboard logout</c> revokes
/// the sign-in, and the token it held is refused at once with <c>x-should-retry: false</c>.
/// </summary>
[Collection(TeamPostgres.Name)]
public sealed partial class GatewayLoginEndToEndTests(PostgresServer postgres, RedisServer redis) : IClassFixture<RedisServer>
{
    private const string GatewayKey = "sk-ant-api03-gateway-own-key";
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Login_ThenCode_RunsClaudeCodeThroughTheGateway_AndLogoutRevokesIt()
    {
        _ = ClaudeCodeRunner.ClaudeExecutable; // fail first and loudly if the pinned CLI is missing
        await using var upstream = await ScriptedUpstream.StartAsync();
        var model = new ScriptedAnthropicModel
        {
            Decide = conversation =>
            {
                if (!conversation.HasTools) return new ScriptedAnthropicModel.Text("ok");
                if (conversation.LatestToolResults().Count == 0)
                    return new ScriptedAnthropicModel.ToolCall("toolu_gateway_bash_01", "Bash",
                        """{"command":"echo signed-in-tool-ran > proof.txt && cat proof.txt","description":"Write the proof file"}""");
                return new ScriptedAnthropicModel.Text("Gateway relayed SIGNED-IN-LOOP-DONE");
            },
        };
        upstream.Script(model.HandleAsync);
        var connection = await postgres.CreateDatabaseAsync();
        // As deployed: https with one generated certificate every replica loads, TLS passed through HAProxy.
        var config = ReplicasBehindHaproxy.AnthropicConfig(upstream.BaseUrl, GatewayKey, connection, redis.Url, extraTeam: ", \"tls\": { \"selfSigned\": true }");
        await using var gateway = await ReplicasBehindHaproxy.StartAsync(config, tls: true);
        var (replicas, haproxy) = (gateway.Replicas, gateway.Haproxy);
        {
            // The admin reads the fingerprint from a replica's log and tells developers; every replica logs the same one.
            var fingerprints = replicas.Select(replica => LoggedFingerprint().Match(replica.Log).Groups[1].Value).Distinct().ToList();
            var fingerprint = fingerprints.ShouldHaveSingleItem();
            fingerprint.Length.ShouldBe(95);
            await using var database = TeamDatabase.Create(connection);
            var ada = await MemberAsync(database, GatewaySignInTests.Email);
            await new LocalAccounts(database).SetPasswordAsync(ada.Id, GatewaySignInTests.Password, "config", Cancel);
            using var home = new TempHome();
            var cli = new CliRunner(home);
            using var claude = new ClaudeCodeRunner();
            var environment = claude.TerminalEnvironment(home.Folder);
            environment["CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC"] = "1";

            // Without a terminal to confirm it at, an unvouched certificate is refused, and the refusal says how to go on.
            var unconfirmed = await cli.RunAsync(["login", haproxy.BaseUrl, "--no-browser"], environment: environment);
            unconfirmed.ExitCode.ShouldBe(1, unconfirmed.ToString());
            unconfirmed.Stdout.ShouldContain($"--fingerprint {fingerprint}", customMessage: unconfirmed.ToString());
            (await PendingCodeAsync(database)).ShouldBeNull("nothing is sent to a gateway before its certificate is trusted");
            File.Exists(home.Home.GatewayCredentialFile).ShouldBeFalse();
            var wrong = await cli.RunAsync(["login", haproxy.BaseUrl, "--no-browser", "--fingerprint", new string('0', 64)], environment: environment);
            wrong.ExitCode.ShouldBe(1, wrong.ToString());
            wrong.Stdout.ShouldContain($"presents the certificate {fingerprint}", customMessage: wrong.ToString());

            // The person reads the code off the terminal and approves it in the browser; here, off the pending row.
            var login = cli.RunAsync(["login", haproxy.BaseUrl, "--no-browser", "--fingerprint", fingerprint.Replace(":", "").ToLowerInvariant()],
                environment: environment);
            var userCode = await Eventually.WaitAsync(
                () => PendingCodeAsync(database), code => code is not null || login.IsCompleted, _ => "switchboard login to ask for a code",
                TimeSpan.FromSeconds(30));
            userCode.ShouldNotBeNull((login.IsCompleted ? (await login).ToString() : ""));
            using (var browser = PinnedHttp.Client(haproxy.BaseUrl, fingerprint))
            {
                var (approved, page) = await new SignInClient(browser).DecideAsync(userCode, GatewaySignInTests.Email, GatewaySignInTests.Password);
                approved.ShouldBe(System.Net.HttpStatusCode.OK, page);
            }
            var signedIn = await login;

            signedIn.ExitCode.ShouldBe(0, signedIn.ToString());
            signedIn.Stdout.ShouldContain($"{userCode[..4]}-{userCode[4..]}", customMessage: "the code the person checks");
            signedIn.Stdout.ShouldContain($"Signed in to {haproxy.BaseUrl} as {GatewaySignInTests.Email}");
            if (!OperatingSystem.IsWindows())
                File.GetUnixFileMode(home.Home.GatewayCredentialFile).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite);
            var saved = System.Text.Json.JsonDocument.Parse(await File.ReadAllTextAsync(home.Home.GatewayCredentialFile, Cancel)).RootElement;
            var token = saved.GetProperty("accessToken").GetString()!;
            saved.GetProperty("pinnedFingerprint").GetString().ShouldBe(fingerprint);

            var run = await cli.RunAsync(["code", "-p", "Write the proof file.", "--dangerously-skip-permissions"],
                environment: environment, workingDirectory: claude.WorkingDirectory);

            run.ExitCode.ShouldBe(0, run.ToString());
            run.Stdout.ShouldContain("Gateway relayed SIGNED-IN-LOOP-DONE", customMessage: run.ToString());
            (await File.ReadAllTextAsync(Path.Combine(claude.WorkingDirectory, "proof.txt"), Cancel)).Trim().ShouldBe("signed-in-tool-ran");
            (await File.ReadAllTextAsync(home.Home.GatewayTrustFile, Cancel)).ShouldContain("BEGIN CERTIFICATE", customMessage: "Claude Code is told to trust the pinned leaf");
            var messages = upstream.Requests.Where(request => request.Path == "/v1/messages").ToList();
            messages.ShouldContain(request => request.BodyText.Contains("toolu_gateway_bash_01"), "the tool's result went back up");
            messages.ShouldAllBe(request => request.Header("x-api-key") == GatewayKey && request.Header("authorization") == null);
            upstream.Requests.ShouldAllBe(request => !request.Headers.Values.Any(values => values.Any(value => value != null && value.Contains(token))));
            // TLS passes through HAProxy, which then balances connections, not requests: one Claude Code keeps to one replica.
            replicas.Sum(replica => RoutedMessage().Matches(replica.Log).Count).ShouldBeGreaterThan(1, "the tool loop's turns were routed");
            foreach (var replica in replicas)
            {
                using var client = PinnedHttp.Client($"https://127.0.0.1:{replica.Port}", fingerprint);
                using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/messages/count_tokens")
                {
                    Content = AnthropicWire.Json(AnthropicWire.Request(stream: false)),
                };
                request.Headers.Authorization = new("Bearer", token);
                using var counted = await client.SendAsync(request, Cancel);
                counted.StatusCode.ShouldBe(System.Net.HttpStatusCode.OK, $"the one token works on every replica ({replica.Port})");
            }
            (await ScalarAsync<long>(database, "SELECT count(*) FROM requests WHERE user_id = $1", ada.Id)).ShouldBeGreaterThan(0L,
                "the ledger charges the signed-in person");

            var logout = await cli.RunAsync(["logout"], environment: environment);
            logout.ExitCode.ShouldBe(0, logout.ToString());
            logout.Stdout.ShouldContain("revoked there");
            File.Exists(home.Home.GatewayCredentialFile).ShouldBeFalse();
            foreach (var replica in replicas)
            {
                using var client = PinnedHttp.Client($"https://127.0.0.1:{replica.Port}", fingerprint);
                var refused = await Eventually.WaitAsync(async () =>
                    {
                        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/messages")
                        {
                            Content = AnthropicWire.Json(AnthropicWire.Request(stream: false)),
                        };
                        request.Headers.Authorization = new("Bearer", token);
                        using var response = await client.SendAsync(request, Cancel);
                        return (response.StatusCode, Retry: response.Headers.TryGetValues("x-should-retry", out var retry) ? retry.Single() : null);
                    }, sent => sent.StatusCode == System.Net.HttpStatusCode.Unauthorized, sent => $"replica {replica.Port} to refuse the revoked token ({sent})",
                    TimeSpan.FromSeconds(10));
                refused.Retry.ShouldBe("false");
                replica.Log.ShouldNotContain(token);
                replica.EnsureHealthy();
            }
        }
    }

    private static async Task<string?> PendingCodeAsync(Npgsql.NpgsqlDataSource database)
    {
        await using var command = database.CreateCommand("SELECT user_code FROM device_codes WHERE approved_by IS NULL AND surface = 'switchboard_cli'");
        return await command.ExecuteScalarAsync(Cancel) as string;
    }

    [GeneratedRegex("SHA-256 fingerprint ([0-9A-F:]{95})")]
    private static partial Regex LoggedFingerprint();

    [GeneratedRegex(@"POST /v1/messages model=\S+ .* -> anthropic:\S+ .* 200 in ")]
    private static partial Regex RoutedMessage();
}
