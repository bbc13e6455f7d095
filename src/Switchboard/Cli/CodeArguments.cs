using Switchboard.Hosting;

namespace Switchboard.Cli;

/// <summary>
/// Splits <c>switchboard code</c>'s arguments: our options come first (<see cref="RunOptions"/> and
/// <c>--non-interactive</c>, plus the wiring flags <c>--no-discovery</c>, <c>--discovery</c> and <c>--bridge=MODE</c>,
/// which are kept for <see cref="ClaudeCodeSetup.TakeFlags"/>), everything from the first other argument on (or after <c>--</c>) is Claude Code's.
/// <c>--verbose</c> is both ours and Claude Code's, so it is read and also passed on. <c>--help</c> among ours asks for
/// our help; Claude Code's is <c>code -- --help</c>.
/// </summary>
internal sealed record CodeArguments(RunOptions Run, bool NonInteractive, IReadOnlyList<string> ClaudeArgs)
{
    /// <summary><c>--help</c>, <c>-h</c> or <c>-?</c> before Claude Code's arguments: show <c>code</c>'s help, run nothing.</summary>
    public bool Help { get; init; }

    public static CodeArguments Parse(IReadOnlyList<string> args, out string? error)
    {
        error = null;
        var run = new RunOptions();
        var overrides = RunOverrides.None;
        var nonInteractive = false;
        var help = false;
        var mappings = new List<KeyValuePair<string, string>>();
        var claude = new List<string>();
        var i = 0;
        for (; i < args.Count; i++)
        {
            var (name, inline) = Split(args[i]);
            string? Value()
            {
                if (inline is not null) return inline;
                if (i + 1 < args.Count) return args[++i];
                return null;
            }
            if (name == "--") { i++; break; }
            if (name == "--non-interactive") nonInteractive = true;
            else if (name is "--help" or "-h" or "-?") help = true;
            // Wiring flags: ours too, in any order among our options; ClaudeCodeSetup.TakeFlags reads them later.
            else if (name is "--no-discovery" or "--discovery") claude.Add(args[i]);
            else if (name == "--bridge") claude.Add("--bridge=" + (Value() ?? Missing(ref error, name)));
            else if (name == "--strict-thinking") overrides = overrides with { StrictThinking = true };
            else if (name == "--verbose")
            {
                run = run with { Verbose = true };
                claude.Add(args[i]);
            }
            else if (name == "--port")
            {
                var text = Value();
                if (int.TryParse(text, out var port)) run = run with { Port = port };
                else error = $"--port wants a number, not '{text}'";
            }
            else if (name == "--ollama-url") overrides = overrides with { OllamaUrl = Value() ?? Missing(ref error, name) };
            else if (name == "--default-model") overrides = overrides with { DefaultModel = Value() ?? Missing(ref error, name) };
            else if (name == "--model-map")
            {
                var text = Value();
                if (text is not null && RunOverrides.ParseMapping(text) is { } mapping) mappings.Add(mapping);
                else error = $"--model-map wants FROM=TO, not '{text}'";
            }
            else break;
        }
        claude.AddRange(args.Skip(i));
        overrides = overrides with { ModelMap = mappings };
        return new CodeArguments(run with { Overrides = overrides }, nonInteractive, claude) { Help = help };
    }

    private static (string Name, string? Inline) Split(string arg)
    {
        if (!arg.StartsWith("--", StringComparison.Ordinal)) return (arg, null);
        var equals = arg.IndexOf('=');
        return equals < 0 ? (arg, null) : (arg[..equals], arg[(equals + 1)..]);
    }

    private static string? Missing(ref string? error, string name)
    {
        error = $"{name} wants a value";
        return null;
    }
}
