using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Switchboard.Anthropic;
using Switchboard.Config;
using Spectre.Console;
using Switchboard.Files;

namespace Switchboard.Cli.Editing;

/// <summary>
/// Changes <c>config.json</c> the way a careful person would: edits the JSON as written (so <c>$VAR</c> references,
/// key order and keys left at their defaults stay as they are), writes a temp file in the same folder, checks it with
/// <see cref="ConfigLoader"/>, and only then moves it over the old file. A config that would not load is never
/// written. Comments are the one loss: JSON has no place to keep them, and <see cref="HadComments"/> says so.
/// </summary>
internal sealed class ConfigEditor
{
    private static readonly JsonDocumentOptions ReadOptions = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };

    private ConfigEditor(SwitchboardHome home, JsonObject root, bool hadComments)
    {
        Home = home;
        Root = root;
        HadComments = hadComments;
    }

    public SwitchboardHome Home { get; }
    public JsonObject Root { get; }

    /// <summary>The file had comments, which saving drops.</summary>
    public bool HadComments { get; }

    /// <summary>Opens the config (writing the defaults first when there is none). Throws <see cref="ConfigException"/> on broken JSON.</summary>
    public static ConfigEditor Open(SwitchboardHome home)
    {
        ConfigFile.CreateIfMissing(home);
        var text = File.ReadAllText(home.ConfigFile);
        return new ConfigEditor(home, ParseObject(text, home.ConfigFile), HasComments(text));
    }

    /// <summary><see cref="Open"/> for a command: on broken JSON it says what to fix and gives null, and the command exits 2.</summary>
    public static ConfigEditor? OpenOrSay(SwitchboardHome home, IAnsiConsole console)
    {
        try
        {
            return Open(home);
        }
        catch (ConfigException ex)
        {
            console.WriteLine($"switchboard: {ex.Message}");
            return null;
        }
    }

    public static JsonObject ParseObject(string text, string file)
    {
        try
        {
            return JsonNode.Parse(text, documentOptions: ReadOptions) as JsonObject
                ?? throw new ConfigException([new ConfigError(file, "$", "the file must hold a JSON object")]);
        }
        catch (JsonException ex)
        {
            // The line is reported as the loader reports it, not as the reader's tail on the message.
            throw new ConfigException([new ConfigError(file, ex.Path ?? "$", $"not valid JSON: {JsonFailure.CoreMessage(ex).TrimEnd('.', ' ')}")
            {
                Line = ex.LineNumber is { } line ? line + 1 : null,
            }]);
        }
    }

    /// <summary>The object at <paramref name="path"/>, created (empty) along the way when missing.</summary>
    public JsonObject Object(params string[] path)
    {
        var node = Root;
        foreach (var key in path)
        {
            if (node[key] is not JsonObject child)
            {
                child = new JsonObject();
                node[key] = child;
            }
            node = child;
        }
        return node;
    }

    /// <summary>Sets a string at the path, or removes the key when <paramref name="value"/> is null.</summary>
    public void Set(string[] path, string? value)
    {
        var parent = Object(path[..^1]);
        if (value is null) parent.Remove(path[^1]);
        else parent[path[^1]] = value;
    }

    public string? Get(params string[] path)
    {
        JsonNode? node = Root;
        foreach (var key in path) node = (node as JsonObject)?[key];
        return node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
    }

    /// <summary>Validates and writes; returns the problems instead when the result would not load (nothing is written).</summary>
    public IReadOnlyList<ConfigError> Save() => WriteChecked(Home, Serialize(Root));

    /// <summary>Where a command that replaces parts of the config wholesale (<c>preset install</c>, <c>import ccr</c>) keeps the old one.</summary>
    public static string BackupFile(SwitchboardHome home) => home.ConfigFile + ".bak";

    /// <summary>
    /// <see cref="WriteChecked"/>, and once written the previous config is kept as <see cref="BackupFile"/>, as private
    /// as it was. Nothing is written, backup included, when the new text would not load.
    /// </summary>
    public static IReadOnlyList<ConfigError> WriteCheckedKeepingBackup(SwitchboardHome home, string text)
    {
        ConfigFile.CreateIfMissing(home);
        var previous = File.ReadAllText(home.ConfigFile);
        var errors = WriteChecked(home, text);
        if (errors.Count == 0) AtomicFile.Write(BackupFile(home), previous, permissionsOf: home.ConfigFile);
        return errors;
    }

    public static string Serialize(JsonNode node)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
            node.WriteTo(writer);
        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    /// <summary>Writes <paramref name="text"/> as the config after checking it loads; atomic, keeping the file's permissions.</summary>
    public static IReadOnlyList<ConfigError> WriteChecked(SwitchboardHome home, string text)
    {
        IReadOnlyList<ConfigError> errors = [];
        AtomicFile.Write(home.ConfigFile, text, accept: temp =>
        {
            errors = ConfigLoader.TryLoad(temp, CliProviders.Registry).Errors.Select(error => error with { File = home.ConfigFile }).ToList();
            return errors.Count == 0;
        });
        return errors;
    }

    private static bool HasComments(string text)
    {
        var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(text),
            new JsonReaderOptions { CommentHandling = JsonCommentHandling.Allow, AllowTrailingCommas = true });
        try
        {
            while (reader.Read())
                if (reader.TokenType == JsonTokenType.Comment) return true;
        }
        catch (JsonException)
        {
        }
        return false;
    }
}
