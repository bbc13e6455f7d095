using Switchboard.Tests.Infrastructure;
using Switchboard.Tests.Infrastructure.Engines;

namespace Switchboard.Tests.Team;

/// <summary>
/// A team gateway as it is deployed: replicas of the built server (processes, each with its own home) on one config,
/// behind a real HAProxy whose backends are all up before the test goes on.
/// </summary>
internal sealed class ReplicasBehindHaproxy : IAsyncDisposable
{
    private ReplicasBehindHaproxy(PublishedServer[] replicas, HaproxyServer haproxy)
    {
        Replicas = replicas;
        Haproxy = haproxy;
    }

    public PublishedServer[] Replicas { get; }
    public HaproxyServer Haproxy { get; }
    public string BaseUrl => Haproxy.BaseUrl;

    /// <summary><paramref name="tls"/>: the config serves https (<c>team.tls</c>), which HAProxy passes through.</summary>
    public static async Task<ReplicasBehindHaproxy> StartAsync(string config, int count = 3, bool tls = false)
    {
        var replicas = await Task.WhenAll(Enumerable.Range(0, count).Select(_ => PublishedServer.StartBuiltAsync(config, new Dictionary<string, string?>(), tls)));
        try
        {
            var haproxy = await HaproxyServer.StartAsync(tls, [.. replicas.Select(replica => replica.Port)]);
            await haproxy.WaitForBackendsAsync("UP");
            return new ReplicasBehindHaproxy(replicas, haproxy);
        }
        catch
        {
            foreach (var replica in replicas) await replica.DisposeAsync();
            throw;
        }
    }

    /// <summary>The team config with one Anthropic provider at <paramref name="upstream"/> holding the gateway's own key.</summary>
    public static string AnthropicConfig(string upstream, string gatewayKey, string connection, string redis, string extraTopLevel = "", string extraTeam = "") => $$"""
        {
          {{extraTopLevel}}
          "defaultProvider": "anthropic",
          "providers": { "anthropic": { "type": "anthropic", "baseUrl": "{{upstream}}", "apiKey": "{{gatewayKey}}" } },
          "team": { "postgres": "{{connection}}", "redis": "{{redis}}", "publicUrl": "https://switchboard.example.com" {{extraTeam}} }
        }
        """;

    public async ValueTask DisposeAsync()
    {
        await Haproxy.DisposeAsync();
        foreach (var replica in Replicas) await replica.DisposeAsync();
    }
}
