using System.CommandLine;

namespace Switchboard.Cli.Commands;

/// <summary><c>switchboard code [args…]</c>: make sure the router runs, then hand over to Claude Code.</summary>
internal static class CodeCommand
{
    public static Command Create()
    {
        var passThrough = new Argument<string[]>("claude-args") { Description = "Passed to claude unchanged.", Arity = ArgumentArity.ZeroOrMore };
        return new Command("code", "Start the router if needed and run Claude Code through it.") { passThrough };
    }

    public static Task<int> RunAsync(string[] claudeArgs)
    {
        _ = claudeArgs;
        return Task.FromResult(1);
    }
}
