using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Shouldly;
using Switchboard.Config;
using Switchboard.Team;
using Switchboard.Tests.Infrastructure;
using Switchboard.Tests.Infrastructure.Engines;
using Switchboard.Tests.Team;

namespace Switchboard.Tests.Gateway;

/// <summary>
/// Issue 18, item 7 (gateway protocol, "TLS"): a team replica serves https with one leaf certificate for every replica
/// behind the name Claude Code pins it for, generated once and kept in PostgreSQL or configured as files; plain HTTP
/// is for loopback only.
/// </summary>
[Collection(TeamPostgres.Name)]
public sealed class GatewayTlsTests(PostgresServer postgres, RedisServer redis) : IClassFixture<RedisServer>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private async Task<string> TeamConfigAsync(string tls) => $$"""
        {
          "defaultProvider": "ollama-local",
          "providers": { "ollama-local": { "type": "ollama", "baseUrl": "http://127.0.0.1:9" } },
          "team": { "postgres": "{{await postgres.CreateDatabaseAsync()}}", "redis": "{{redis.Url}}", "publicUrl": "https://gateway.example.com", "tls": {{tls}} }
        }
        """;

    [Fact]
    public async Task SelfSigned_ReplicasOnOneDatabase_PresentOneCertificate_ForThePublicHostAndLoopback_AndRefusePlainHttp()
    {
        var config = await TeamConfigAsync("""{ "selfSigned": true, "hosts": ["gw.internal"] }""");
        await using var first = await RunningSwitchboard.StartAsync(config);
        await using var second = await RunningSwitchboard.StartAsync(config);

        var one = await PresentedAsync(first.Address.Port);
        var two = await PresentedAsync(second.Address.Port);

        first.Address.Scheme.ShouldBe("https");
        two.RawData.ShouldBe(one.RawData, "Claude Code pins one leaf per host name: every replica must serve it");
        var names = one.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single();
        names.EnumerateDnsNames().ShouldBe(["gateway.example.com", "gw.internal", "localhost"], ignoreOrder: true);
        names.EnumerateIPAddresses().Select(address => address.ToString()).ShouldBe(["127.0.0.1", "::1"], ignoreOrder: true);
        one.Extensions.OfType<X509BasicConstraintsExtension>().Single().CertificateAuthority.ShouldBeFalse("trusting it must vouch for this host only");
        first.Logs.All.ShouldContain(CertificateFingerprint.Of(one), customMessage: "admins read the fingerprint developers confirm from the log");

        (await first.Client.GetAsync("/health", Cancel)).IsSuccessStatusCode.ShouldBeTrue();
        using var plain = new HttpClient();
        await Should.ThrowAsync<HttpRequestException>(() => plain.GetAsync($"http://127.0.0.1:{first.Address.Port}/health", Cancel));
        await Should.ThrowAsync<HttpRequestException>(() => plain.GetAsync($"https://127.0.0.1:{first.Address.Port}/health", Cancel),
            "a self-signed certificate is trusted only once someone pins it");
    }

    [Fact]
    public async Task ConfiguredPemFiles_AreServed_AndAnUnreadableOne_IsAConfigErrorNamingTheFile()
    {
        using var home = new TempHome();
        using var made = SharedCertificate.Create(["gateway.example.com", "127.0.0.1"], DateTimeOffset.UtcNow);
        var certificate = Path.Combine(home.Folder, "gateway.crt");
        var key = Path.Combine(home.Folder, "gateway.key");
        File.WriteAllText(certificate, made.ExportCertificatePem());
        File.WriteAllText(key, made.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem());

        await using (var replica = await RunningSwitchboard.StartAsync(await TeamConfigAsync($$"""{ "certificate": "{{certificate}}", "key": "{{key}}" }""")))
        {
            (await PresentedAsync(replica.Address.Port)).RawData.ShouldBe(made.RawData);
            (await replica.Client.GetAsync("/health", Cancel)).IsSuccessStatusCode.ShouldBeTrue();
        }

        var missing = Path.Combine(home.Folder, "nowhere.crt");
        var refused = await Should.ThrowAsync<ConfigException>(async () =>
        {
            await using var replica = await RunningSwitchboard.StartAsync(await TeamConfigAsync($$"""{ "certificate": "{{missing}}", "key": "{{key}}" }"""));
        });
        var error = refused.Errors.ShouldHaveSingleItem();
        error.JsonPath.ShouldBe("$.team.tls.certificate");
        error.Problem.ShouldContain(missing);
    }

    [Theory]
    [InlineData("\"host\": \"0.0.0.0\",", "", "$.team.tls", "plain HTTP")]
    [InlineData("", ", \"tls\": { \"selfSigned\": true, \"certificate\": \"a.pem\" }", "$.team.tls", "one way")]
    [InlineData("", ", \"tls\": { \"key\": \"a.key\", \"offloaded\": true }", "$.team.tls.key", "certificate")]
    public void Validate_PlainBeyondLoopback_OrTwoWaysOfTls_IsAnErrorSayingWhatToSet(string top, string tls, string path, string says)
    {
        var (config, parseErrors) = ConfigLoader.Parse($$"""
            { {{top}} "providers": { "anthropic": { "type": "anthropic" } }, "team": { "postgres": "Host=db", "redis": "redis://db:6379", "publicUrl": "https://gateway.example.com" {{tls}} } }
            """, "config.json", Switchboard.Providers.ProviderRegistry.CreateDefault(new Switchboard.Providers.UpstreamClient()));

        config.ShouldBeNull();
        parseErrors.ShouldContain(error => error.JsonPath == path && error.Problem.Contains(says), string.Join("\n", parseErrors));
    }

    [Theory]
    [InlineData("\"host\": \"0.0.0.0\",", ", \"tls\": { \"offloaded\": true }")]
    [InlineData("\"host\": \"0.0.0.0\",", ", \"tls\": { \"selfSigned\": true }")]
    [InlineData("", "")]
    public void Validate_TlsHereOrInFront_OrLoopback_IsAccepted(string top, string tls)
    {
        var (_, errors) = ConfigLoader.Parse($$"""
            { {{top}} "providers": { "anthropic": { "type": "anthropic" } }, "team": { "postgres": "Host=db", "redis": "redis://db:6379", "publicUrl": "https://gateway.example.com" {{tls}} } }
            """, "config.json", Switchboard.Providers.ProviderRegistry.CreateDefault(new Switchboard.Providers.UpstreamClient()));

        errors.ShouldBeEmpty(string.Join("\n", errors));
    }

    /// <summary>The leaf a TLS handshake with 127.0.0.1:<paramref name="port"/> presents, whatever its trust.</summary>
    internal static async Task<X509Certificate2> PresentedAsync(int port)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync("127.0.0.1", port, Cancel);
        X509Certificate2? presented = null;
        await using var tls = new SslStream(tcp.GetStream(), false, (_, certificate, _, _) =>
        {
            presented = certificate is null ? null : X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
            return true;
        });
        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = "127.0.0.1" }, Cancel);
        return presented ?? throw new InvalidOperationException("no certificate presented");
    }
}
