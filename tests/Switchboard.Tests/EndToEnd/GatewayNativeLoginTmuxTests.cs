using System.Text.Json.Nodes;
using Shouldly;
using Switchboard.Team;
using Switchboard.Tests.Gateway;
using Switchboard.Tests.Infrastructure;
using Switchboard.Tests.Infrastructure.Engines;
using Switchboard.Tests.Team;

namespace Switchboard.Tests.EndToEnd;

/// <summary>
/// Tests that write this machine's Claude Code policy (<c>/etc/claude-code/managed-settings.json</c>, the only
/// managed-settings file the pinned release reads: its <c>CLAUDE_CODE_MANAGED_SETTINGS_PATH</c> override is compiled
/// out). Every Claude Code on the machine reads it, so they run alone, after the parallel tests.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MachinePolicyCollection
{
    public const string Name = "Claude Code machine policy";
}

/// <summary>
/// Issue 18, item 9: the pinned Claude Code's own sign-in. With the organisation's policy naming the gateway
/// (<c>forceLoginMethod: "gateway"</c>, <c>forceLoginGatewayUrl</c>), <c>/login</c> in the interactive client connects
/// to Switchboard over https through HAProxy to three replicas, runs the device flow the person approves on the
/// verification page, and from then on sends its turns with the gateway's bearer; the group's managed settings
/// reach the client (their <c>env</c> shapes the requests the upstream sees).
/// </summary>
[Collection(MachinePolicyCollection.Name)]
public sealed class GatewayNativeLoginTmuxTests : IDisposable
{
    private const string PolicyFolder = "/etc/claude-code";
    private static readonly string PolicyFile = Path.Combine(PolicyFolder, "managed-settings.json");
    private readonly ClaudeCodeRunner _claude = new();

    public void Dispose() => _claude.Dispose();

    private static bool IsTheTurn(RecordedRequest request) => request.Path == "/v1/messages" && request.BodyText.Contains("Say hello.", StringComparison.Ordinal);

    [Fact]
    public async Task Login_InTheClient_SignsInThroughTheGateway_AndTheGroupsManagedSettingsShapeItsRequests()
    {
        var cancel = TestContext.Current.CancellationToken;
        File.Exists(PolicyFile).ShouldBeFalse($"{PolicyFile} is this machine's own Claude Code policy; this test would replace it");
        await using var postgres = new PostgresServer();
        await postgres.InitializeAsync();
        await using var redis = new RedisServer();
        await redis.InitializeAsync();
        var model = new ScriptedAnthropicModel { Decide = _ => new ScriptedAnthropicModel.Text("E2E-NATIVE-SIGN-IN-ANSWER") };
        await using var upstream = await ScriptedUpstream.StartAsync(model.HandleAsync);
        var connection = await postgres.CreateDatabaseAsync();
        await using var database = TeamDatabase.Create(connection);
        await TeamSchema.MigrateAsync(database, cancel);
        var ada = await TeamPostgres.MemberAsync(database, GatewaySignInTests.Email);
        await new LocalAccounts(database).SetPasswordAsync(ada.Id, GatewaySignInTests.Password, "test", cancel);
        var groups = new TeamGroups(database);
        var platform = await groups.CreateAsync("platform", "test", cancel);
        await groups.AddMemberAsync(platform.Id, ada.Id, "test", cancel);
        await new GroupSettings(database).SetAsync(platform.Id, JsonNode.Parse("""{ "env": { "CLAUDE_CODE_MAX_OUTPUT_TOKENS": "4321" } }""")!.AsObject(), "test", cancel);

        var config = ReplicasBehindHaproxy.AnthropicConfig(upstream.BaseUrl, "gateway-own-key", connection, redis.Url, extraTeam: ", \"tls\": { \"selfSigned\": true }");
        await using var gateway = await ReplicasBehindHaproxy.StartAsync(config, tls: true);
        // The admin hands developers the gateway's certificate (a private CA's, in most companies) to trust.
        var certificate = await GatewayTlsTests.PresentedAsync(gateway.Haproxy.Port);
        var trust = Path.Combine(_claude.Root, "gateway.pem");
        await File.WriteAllTextAsync(trust, certificate.ExportCertificatePem(), cancel);
        _claude.SkipOnboardingAndTrustFolder();
        var environment = new Dictionary<string, string>
        {
            ["HOME"] = _claude.Home, ["PATH"] = "/usr/local/bin:/usr/bin:/bin", ["LANG"] = "C.UTF-8", ["TERM"] = "xterm-256color",
            ["IS_SANDBOX"] = "1", ["DISABLE_TELEMETRY"] = "1", ["DISABLE_AUTOUPDATER"] = "1", ["NODE_EXTRA_CA_CERTS"] = trust,
        };

        Directory.CreateDirectory(PolicyFolder);
        await File.WriteAllTextAsync(PolicyFile, $$"""{ "forceLoginMethod": "gateway", "forceLoginGatewayUrl": "{{gateway.BaseUrl}}" }""", cancel);
        try
        {
            await using var tmux = await TmuxSession.StartAsync(_claude.WorkingDirectory, environment, [ClaudeCodeRunner.ClaudeExecutable]);
            await tmux.WaitForTextAsync("❯");
            await tmux.TypeAsync("/login");
            await tmux.SendKeysAsync("Enter");
            await tmux.WaitForTextAsync(gateway.BaseUrl);
            await tmux.SendKeysAsync("Enter");
            // The client shows the leaf's fingerprint and asks before it pins it; "No" is the default.
            var prompt = await tmux.WaitForTextAsync("Trust gateway 127.0.0.1?");
            prompt.ShouldContain($"Certificate fingerprint (SHA-256): {CertificateFingerprint.Of(certificate).Replace(":", "").ToLowerInvariant()[..16]}");
            await tmux.SendKeysAsync("Up");
            await tmux.SendKeysAsync("Enter");
            // The person reads the code off the terminal and confirms it on the verification page.
            var signIn = await tmux.WaitForTextAsync("Code:");
            var userCode = System.Text.RegularExpressions.Regex.Match(signIn, @"Code:\s+([A-Z]{4}-[A-Z]{4})").Groups[1].Value;
            userCode.Length.ShouldBe(9, signIn);
            signIn.ShouldContain($"{gateway.BaseUrl}/device");
            using (var browser = PinnedHttp.Client(gateway.BaseUrl, CertificateFingerprint.Of(certificate)))
            {
                var (approved, page) = await new SignInClient(browser).DecideAsync(userCode.Replace("-", ""), GatewaySignInTests.Email, GatewaySignInTests.Password);
                approved.ShouldBe(System.Net.HttpStatusCode.OK, page);
            }
            // The client names who signed in (the token's email) and asks before the organisation's settings apply.
            await tmux.WaitForTextAsync($"Signed in to Cloud gateway as {GatewaySignInTests.Email}");
            await tmux.SendKeysAsync("Up");
            await tmux.SendKeysAsync("Enter");
            await tmux.WaitForTextAsync("Connected to Cloud gateway");
            await tmux.SendKeysAsync("Enter");
            await tmux.WaitForScreenAsync(screen => !screen.Contains("Press Enter to continue", StringComparison.Ordinal), "the sign-in screen to close");
            // The client remounts its prompt once the organisation's settings arrive, which can swallow a key: the
            // turn is typed, and Enter pressed, until the upstream has it (each try is the person pressing Enter again).
            var turn = await Eventually.WaitAsync(async () =>
            {
                var screen = await tmux.CaptureAsync();
                if (!screen.Contains("Say hello.", StringComparison.Ordinal)) await tmux.TypeAsync("Say hello.");
                else if (!upstream.Requests.Any(IsTheTurn)) await tmux.SendKeysAsync("Enter");
                return upstream.Requests.FirstOrDefault(IsTheTurn);
            }, sent => sent is not null, _ => "the turn to reach the upstream", TimeSpan.FromSeconds(60));
            await tmux.WaitForTextAsync("E2E-NATIVE-SIGN-IN-ANSWER", TimeSpan.FromSeconds(60));

            using var body = System.Text.Json.JsonDocument.Parse(turn!.BodyText);
            body.RootElement.GetProperty("max_tokens").GetInt32().ShouldBe(4321, "the group's managed settings (env CLAUDE_CODE_MAX_OUTPUT_TOKENS) reached the client");
            // Whenever auto mode asked for the upstream's safety check, Anthropic got it, with its beta (the client does
            // not ask on every turn, so which turns carry it is the client's choice; SafeguardsTests pins the rule).
            foreach (var checkedTurn in upstream.Requests.Where(request => request.Path == "/v1/messages" && request.BodyText.Contains("\"safeguards\"", StringComparison.Ordinal)))
                checkedTurn.Header("anthropic-beta")!.ShouldContain("dangerous-tool-use-");
            turn.Header("x-api-key").ShouldBe("gateway-own-key");
            turn.Header("authorization").ShouldBeNull("the gateway's bearer never goes upstream");
            (await TeamPostgres.ScalarAsync<long>(database, "SELECT count(*) FROM requests WHERE user_id = $1", ada.Id)).ShouldBeGreaterThan(0L,
                "the ledger charges the person who signed in");
            foreach (var replica in gateway.Replicas) replica.EnsureHealthy();
        }
        finally
        {
            File.Delete(PolicyFile);
            if (Directory.Exists(PolicyFolder) && !Directory.EnumerateFileSystemEntries(PolicyFolder).Any()) Directory.Delete(PolicyFolder);
        }
    }
}
