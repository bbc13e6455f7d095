using System.CommandLine;
using System.Net.Http.Json;
using System.Text.Json;
using Switchboard.Config;
using Switchboard.Hosting;

namespace Switchboard.Cli.Commands;

/// <summary>
/// <c>switchboard statusline</c>: one line for Claude Code's <c>statusLine</c> setting. Claude Code runs it with the
/// session as JSON on stdin (<c>session_id</c>, <c>model</c>, and in newer versions <c>context_window</c> totals); the
/// router says which route and target that session's last request took. Always exits 0 with a line: a status line
/// that fails shows nothing at all.
/// </summary>
internal static class StatuslineCommand
{
    public static Command Create()
    {
        var command = new Command("statusline", "Print route, model and session tokens (for Claude Code's statusLine setting).");
        command.SetAction(async (_, cancellationToken) =>
        {
            Console.Out.WriteLine(await LineAsync(SwitchboardHome.FromEnvironment(), await Console.In.ReadToEndAsync(cancellationToken), cancellationToken));
            return 0;
        });
        return command;
    }

    public static async Task<string> LineAsync(SwitchboardHome home, string stdin, CancellationToken cancellationToken)
    {
        var (session, model, tokens) = ReadSession(stdin);
        var url = Environment.GetEnvironmentVariable("ANTHROPIC_BASE_URL") is { Length: > 0 } baseUrl
            ? baseUrl.TrimEnd('/')
            : new DaemonClient(home).Running()?.Url;
        var parts = new List<string>();
        StatuslineReply? reply = null;
        if (url is null) parts.Add("switchboard: not running");
        else if (session is not null) reply = await AskAsync(url, session, DaemonClient.ClientKeyOf(home), cancellationToken);

        if (reply?.Last is { } last)
        {
            parts.Add($"{last.Duty} → {last.Target}");
            tokens ??= $"~{Compact(last.LastInputTokens)} ctx, {last.Requests} req";
        }
        else if (url is not null) parts.Add(reply is null && session is not null ? "switchboard: no answer" : "switchboard: no request yet");
        if (model is not null) parts.Add(model);
        if (tokens is not null) parts.Add(tokens);
        return string.Join(" | ", parts);
    }

    private static async Task<StatuslineReply?> AskAsync(string url, string session, string? clientKey, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(1) };
        if (clientKey is not null) http.DefaultRequestHeaders.TryAddWithoutValidation(ClaudeEnvironment.ClientAuthHeader, clientKey);
        try
        {
            using var response = await http.GetAsync($"{url}/api/statusline?session={Uri.EscapeDataString(session)}", cancellationToken);
            return await response.Content.ReadFromJsonAsync(HostJson.Default.StatuslineReply, cancellationToken);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or JsonException or NotSupportedException)
        {
            return null;
        }
    }

    private static (string? Session, string? Model, string? Tokens) ReadSession(string stdin)
    {
        try
        {
            using var document = JsonDocument.Parse(stdin);
            var root = document.RootElement;
            var session = root.TryGetProperty("session_id", out var id) && id.ValueKind == JsonValueKind.String ? id.GetString() : null;
            string? model = null;
            if (root.TryGetProperty("model", out var m) && m.ValueKind == JsonValueKind.Object)
                model = (m.TryGetProperty("display_name", out var display) ? display : m.TryGetProperty("id", out var mid) ? mid : default) is
                    { ValueKind: JsonValueKind.String } name ? name.GetString() : null;
            string? tokens = null;
            if (root.TryGetProperty("context_window", out var window) && window.ValueKind == JsonValueKind.Object
                && window.TryGetProperty("total_input_tokens", out var input) && input.TryGetInt64(out var inTokens)
                && window.TryGetProperty("total_output_tokens", out var output) && output.TryGetInt64(out var outTokens))
                tokens = $"{Compact(inTokens)} in / {Compact(outTokens)} out";
            return (session, model, tokens);
        }
        catch (JsonException)
        {
            return (null, null, null);
        }
    }

    private static string Compact(long tokens) => tokens >= 1000 ? $"{tokens / 1000.0:0.#}k" : tokens.ToString();
}
