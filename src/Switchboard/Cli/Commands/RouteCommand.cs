using System.CommandLine;
using System.Text.Json;
using Spectre.Console;
using Switchboard.Anthropic;
using Switchboard.Config;
using Switchboard.Routing;

namespace Switchboard.Cli.Commands;

/// <summary>
/// <c>switchboard route --explain FILE</c>: the routing decision for a saved request, without sending it. FILE is a
/// Messages request body, or <c>{"headers": {…}, "body": {…}}</c> to include the headers Claude Code sent.
/// </summary>
internal static class RouteCommand
{
    public static Command Create()
    {
        var explain = new Option<FileInfo>("--explain") { Description = "A saved request body (JSON) to explain.", Required = true };
        var command = new Command("route", "Explain where a request would go, and why.") { explain };
        command.SetAction(parsed => Run(SwitchboardHome.FromEnvironment(), parsed.GetValue(explain)!, CliConsole.Out));
        return command;
    }

    public static int Run(SwitchboardHome home, FileInfo file, IAnsiConsole console)
    {
        var (config, problems) = ConfigLoader.TryLoad(home.ConfigFile, CliProviders.Registry);
        if (config is null)
        {
            console.MarkupLine("[red]switchboard: the config is not valid:[/]");
            foreach (var problem in problems) console.WriteLine("  " + problem);
            return 2;
        }
        if (!file.Exists)
        {
            console.MarkupLineInterpolated($"[red]switchboard: {file.FullName} does not exist.[/]");
            return 2;
        }

        MessagesRequest request;
        var headers = new List<KeyValuePair<string, string>>();
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(file.FullName));
            var root = document.RootElement;
            var body = root.TryGetProperty("body", out var wrapped) ? wrapped : root;
            if (root.TryGetProperty("headers", out var recorded) && recorded.ValueKind == JsonValueKind.Object)
                headers.AddRange(recorded.EnumerateObject().Select(header => new KeyValuePair<string, string>(header.Name, header.Value.ToString())));
            request = body.Deserialize(AnthropicJson.Default.MessagesRequest)
                      ?? throw new JsonException("the body is null");
        }
        catch (JsonException ex)
        {
            console.MarkupLineInterpolated($"[red]switchboard: {file.Name} is not a Messages request: {ex.Message}[/]");
            return 2;
        }

        var model = request.Model ?? "(none)";
        var tokens = TokenCounter.Count(request);
        RouteDecision decision;
        try
        {
            decision = Router.Decide(request, headers, config);
        }
        catch (AnthropicErrorException ex)
        {
            // What the router would answer the client with: a request it cannot route is refused, with the reason.
            console.MarkupLineInterpolated($"[red]switchboard: this request would be refused ({ex.Error.Status}): {ex.Error.Message}[/]");
            return 2;
        }
        var table = new Table().HideHeaders().AddColumns("", "");
        table.AddRow("requested model", Markup.Escape(model));
        table.AddRow("request class", Markup.Escape(DutyDetector.HeaderValue(headers, DutyDetector.RequestClassHeader) ?? "(no hint header)"));
        table.AddRow("duties that apply", Markup.Escape(decision.DutiesSeen.Count == 0 ? "(none)" : string.Join(", ", Duties.Order(config.DutyOrder).Where(decision.DutiesSeen.Contains))));
        table.AddRow("duty", Markup.Escape(decision.Duty));
        table.AddRow("decided by", Markup.Escape(decision.Reason.Text));
        table.AddRow("targets, in order", Markup.Escape(string.Join(" → ", decision.Targets)));
        table.AddRow("estimated input tokens", $"{tokens} (longContext above {config.LongContextThreshold})");
        console.Write(table);
        return 0;
    }
}
