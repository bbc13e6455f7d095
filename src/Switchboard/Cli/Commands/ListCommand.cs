using System.CommandLine;
using Microsoft.Extensions.Logging.Abstractions;
using Spectre.Console;
using Switchboard.Config;
using Switchboard.Providers;
using Switchboard.Routing;

namespace Switchboard.Cli.Commands;

/// <summary>
/// <c>switchboard list</c>: the models each provider that can list its own (Ollama) has installed, what they can do,
/// and the <c>/model …</c> line to paste into Claude Code for each.
/// </summary>
internal static class ListCommand
{
    public static Command Create()
    {
        var command = new Command("list", "List installed models per provider, with capabilities and /model lines.");
        command.SetAction(async (_, cancellationToken) => await RunAsync(SwitchboardHome.FromEnvironment(), CliConsole.Out, cancellationToken));
        return command;
    }

    public static async Task<int> RunAsync(SwitchboardHome home, IAnsiConsole console, CancellationToken cancellationToken)
    {
        ConfigFile.CreateIfMissing(home);
        using var upstream = new UpstreamClient();
        var registry = ProviderRegistry.CreateDefault(upstream, NullLoggerFactory.Instance);
        var (config, problems) = ConfigLoader.TryLoad(home.ConfigFile, registry);
        if (config is null)
        {
            console.MarkupLine("[red]switchboard: the config is not valid:[/]");
            foreach (var problem in problems) console.WriteLine("  " + problem);
            return 2;
        }

        var snapshot = new ConfigSnapshot(config, registry, version: 1);
        var catalogs = snapshot.Providers.Where(pair => pair.Value is IModelCatalog).ToList();
        if (catalogs.Count == 0)
        {
            console.MarkupLine("No provider in the config can list its models (add an \"ollama\" provider).");
            return 0;
        }

        foreach (var (name, provider) in catalogs)
        {
            var catalog = (IModelCatalog)provider;
            var models = (await catalog.ListModelsAsync([], cancellationToken)).Select(model => model.Id).ToList();
            console.MarkupLineInterpolated($"[bold]{name}[/] ({Secrets.MaskUrl(config.Providers[name].BaseUrl) ?? "default URL"}): {models.Count} model(s)");
            if (models.Count == 0)
            {
                console.MarkupLine("  [grey](none found: is it running, and is its baseUrl right?)[/]");
                continue;
            }
            var table = new Table().AddColumns("model", "capabilities", "context", "in Claude Code");
            foreach (var model in models)
            {
                var capabilities = await catalog.DescribeModelAsync(model, cancellationToken);
                var can = new[] { ("tools", capabilities.Tools), ("thinking", capabilities.Thinking), ("vision", capabilities.Vision) }
                    .Where(c => c.Item2).Select(c => c.Item1);
                var target = ModelIds.Routable(name, model, config);
                table.AddRow(Markup.Escape(model), string.Join(", ", can), capabilities.ContextLength?.ToString() ?? "?",
                    Markup.Escape($"/model {target}"));
            }
            console.Write(table);
        }
        return 0;
    }
}
