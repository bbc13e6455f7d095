using System.Net.Http.Json;
using Switchboard.Config;
using Switchboard.Hosting;

namespace Switchboard.Cli;

/// <summary>What the CLI knows about the background daemon: its pid file and its <c>/health</c> answer.</summary>
internal sealed class DaemonClient(SwitchboardHome home)
{
    public SwitchboardHome Home => home;

    /// <summary>The daemon's pid and URL, when the pid file names a live process.</summary>
    public (int Pid, string Url)? Running() =>
        DaemonPidFile.Read(home) is { } daemon && ProcessProbe.IsAlive(daemon.Pid) ? daemon : null;

    /// <summary>The running daemon and its health report, or null when no healthy daemon answers.</summary>
    public async Task<(int Pid, HealthReport Health)?> RunningHealthAsync(CancellationToken cancellationToken = default)
    {
        if (Running() is not { } daemon) return null;
        return await HealthAsync(daemon.Url, ClientKeyOf(home), cancellationToken) is { } health ? (daemon.Pid, health) : null;
    }

    /// <summary>The router's client key, from the same config the router reads, if one is set.</summary>
    public static string? ClientKeyOf(SwitchboardHome home) =>
        EnvExpander.ExpandOrNull(ConfigLoader.TryLoad(home.ConfigFile, CliProviders.Registry).Config?.ApiKey);

    /// <summary>The health report; with <paramref name="clientKey"/>, the whole of it (config file, problems, providers).</summary>
    public static async Task<HealthReport?> HealthAsync(string url, string? clientKey, CancellationToken cancellationToken = default)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        if (!string.IsNullOrEmpty(clientKey)) http.DefaultRequestHeaders.TryAddWithoutValidation(ClaudeEnvironment.ClientAuthHeader, clientKey);
        try
        {
            return await http.GetFromJsonAsync($"{url}/health", HostJson.Default.HealthReport, cancellationToken);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or System.Text.Json.JsonException)
        {
            return null;
        }
    }

    /// <summary>Removes a pid file whose process is gone.</summary>
    public void ForgetStale()
    {
        if (File.Exists(home.PidFile) && Running() is null) File.Delete(home.PidFile);
    }
}
