using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Switchboard.Config;

namespace Switchboard.Cli.Commands.Team;

/// <summary>
/// The gateway the <c>switchboard team</c> commands talk to: its admin API over HTTP, with the admin key as a bearer
/// token. Every failure becomes a <see cref="TeamCliException"/> whose message says what to fix: the server's own
/// message for an error it answered, the URL that failed when nothing answered. The key is never part of a message.
/// </summary>
internal sealed class TeamGateway : IDisposable
{
    public const string KeyVariable = "SWITCHBOARD_ADMIN_KEY";

    private readonly HttpClient _http;

    private TeamGateway(Uri url, string key)
    {
        Url = url.ToString().TrimEnd('/');
        _http = new HttpClient { BaseAddress = url, Timeout = TimeSpan.FromSeconds(30) };
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
    }

    public string Url { get; }

    /// <summary>
    /// The gateway at <paramref name="url"/>, else the daemon running here, else the config's <c>team.publicUrl</c>;
    /// the key from <paramref name="key"/> (<c>--key</c>) or <see cref="KeyVariable"/>.
    /// </summary>
    public static TeamGateway Connect(SwitchboardHome home, string? url, string? key)
    {
        key = string.IsNullOrEmpty(key) ? Environment.GetEnvironmentVariable(KeyVariable) : key;
        if (string.IsNullOrWhiteSpace(key))
            throw new TeamCliException($"No admin key: set {KeyVariable} to the gateway's operator key (apiKey in its config) or an admin " +
                                       "user's key (or pass --key, which others on this machine can see in the process list).");
        url ??= new DaemonClient(home).Running()?.Url
                ?? EnvExpander.ExpandOrNull(ConfigLoader.TryLoad(home.ConfigFile, CliProviders.Registry).Config?.Team?.PublicUrl)
                ?? throw new TeamCliException("No gateway to talk to: no Switchboard daemon runs here and the config has no team.publicUrl; " +
                                              "pass --url with the gateway's address (like --url https://gateway.example.com).");
        if (!Uri.TryCreate(url.TrimEnd('/') + "/", UriKind.Absolute, out var address) || address.Scheme is not ("http" or "https"))
            throw new TeamCliException($"--url {url} is not an http(s) address; pass one like --url https://gateway.example.com.");
        return new TeamGateway(address, key.Trim());
    }

    /// <summary>The answer's JSON text; an error answer or no answer throws.</summary>
    public async Task<string> SendAsync(HttpMethod method, string path, string? body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, path.TrimStart('/'));
        // The admin API refuses a POST or PUT that is not JSON, so one without a body still sends {}.
        if (body is not null || method == HttpMethod.Post || method == HttpMethod.Put)
            request.Content = new StringContent(body ?? "{}", Encoding.UTF8, "application/json");
        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, cancellationToken);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            throw new TeamCliException($"The gateway at {Url} did not answer ({ex.Message.TrimEnd('.')}): check that it runs and that the " +
                                       $"address is right, or pass --url with the gateway's address.");
        }
        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            if (response.IsSuccessStatusCode) return text;
            throw new TeamCliException(ErrorMessage(text) is { } message
                ? $"{message} ({(int)response.StatusCode} from {Url})"
                : $"The gateway at {Url} answered {(int)response.StatusCode} {response.ReasonPhrase} to {method} /{path.TrimStart('/')}; is it a Switchboard gateway in team mode?");
        }
    }

    public async Task<T> SendAsync<T>(HttpMethod method, string path, string? body, JsonTypeInfo<T> type, CancellationToken cancellationToken) =>
        Parse(await SendAsync(method, path, body, cancellationToken), type);

    public T Parse<T>(string json, JsonTypeInfo<T> type)
    {
        try
        {
            return JsonSerializer.Deserialize(json, type) ?? throw new JsonException("null");
        }
        catch (JsonException)
        {
            throw new TeamCliException($"The gateway at {Url} answered something that is not the admin API's JSON; is it a Switchboard gateway in team mode?");
        }
    }

    /// <summary>The <c>message</c> of an Anthropic error (<c>{"type":"error","error":{"type","message"}}</c>), if that is what came.</summary>
    private static string? ErrorMessage(string text)
    {
        try
        {
            using var document = JsonDocument.Parse(text);
            return document.RootElement.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object &&
                   error.TryGetProperty("message", out var message) && message.ValueKind == JsonValueKind.String
                ? message.GetString()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>One path segment (an email, a group name) as the URL needs it.</summary>
    public static string Segment(string value) => Uri.EscapeDataString(value);

    public void Dispose() => _http.Dispose();
}

/// <summary>A <c>switchboard team</c> command could not do its job; the message says why and what to do.</summary>
internal sealed class TeamCliException(string message) : Exception(message);
