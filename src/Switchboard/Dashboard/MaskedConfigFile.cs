using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Switchboard.Config;
using Switchboard.Files;

namespace Switchboard.Dashboard;

/// <summary>
/// The dashboard's config editor, on the server side. It shows the daemon's own config file (never a path the
/// client names) with secrets masked, checks an edit exactly as the daemon checks the file
/// (<see cref="ConfigLoader.Parse"/>, so the schema's shape and <see cref="ConfigValidator"/>), and writes only a
/// valid edit, atomically, over the file it was made from. The running daemon then reloads it like any other edit.
/// </summary>
internal sealed class MaskedConfigFile(ConfigStore store)
{
    public ConfigView Read()
    {
        var text = File.ReadAllText(store.File);
        string shown;
        try
        {
            shown = SecretMask.Mask(text);
        }
        catch (JsonException)
        {
            // A broken file cannot be masked reliably; show the config that is serving instead, masked.
            shown = SecretMask.Mask(JsonSerializer.Serialize(store.Current.Config, ConfigJson.Default.SwitchboardConfig));
        }
        return new ConfigView(store.File, shown, Revision(text), store.Current.Version,
            store.Problems.Select(Problem.From).ToList());
    }

    /// <summary>Checks an edit without writing it.</summary>
    public (string? Text, List<Problem> Problems) Check(string edited)
    {
        var (unmasked, maskProblems) = SecretMask.Unmask(edited, File.ReadAllText(store.File));
        if (unmasked is null) return (null, maskProblems.Select(p => new Problem("$." + p.Path, p.Problem, null)).ToList());
        var (config, errors) = ConfigLoader.Parse(unmasked, store.File, store.Registry);
        return config is null ? (null, errors.Select(Problem.From).ToList()) : (unmasked, []);
    }

    public SaveResult Save(ConfigEdit edit)
    {
        var current = File.ReadAllText(store.File);
        if (edit.Revision != Revision(current))
            return new SaveResult(SaveOutcome.Conflict, [new Problem("$", "the file changed on disk since the editor loaded it; reload and edit again", null)]);
        var (text, problems) = Check(edit.Text);
        if (text is null) return new SaveResult(SaveOutcome.Invalid, problems);

        AtomicFile.Write(store.File, text);
        var serving = store.Current;
        return new SaveResult(store.Problems.Count == 0 ? SaveOutcome.Saved : SaveOutcome.Invalid,
            store.Problems.Select(Problem.From).ToList(), serving.Version);
    }

    public static string Revision(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..16];
}

public sealed record ConfigView(string File, string Text, string Revision, long Version, List<Problem> Problems);

public sealed record ConfigEdit(string Text, string Revision);

public sealed record Problem(string Path, string Message, long? Line)
{
    public static Problem From(ConfigError error) => new(error.JsonPath, error.Problem, error.Line);
}

public enum SaveOutcome { Saved, Invalid, Conflict }

public sealed record SaveResult(SaveOutcome Outcome, List<Problem> Problems, long? Version = null);
