using System.Reflection;

namespace Switchboard.Config;

/// <summary>Creates the config file with defaults, never over an existing one, and keeps the schema beside it.</summary>
public static class ConfigFile
{
    public const string DefaultJson = """
        {
          "$schema": "./config.schema.json",
          "host": "127.0.0.1",
          "port": 11436,
          "defaultProvider": "anthropic",
          "providers": {
            "anthropic": { "type": "anthropic", "baseUrl": "https://api.anthropic.com" },
            "ollama-local": { "type": "ollama", "baseUrl": "http://127.0.0.1:11434" },
            "ollama-cloud": { "type": "ollama", "baseUrl": "https://ollama.com", "apiKey": "$OLLAMA_API_KEY" }
          },
          "routes": {}
        }

        """;

    /// <summary>Writes the defaults if no config exists. Returns false (and writes nothing) when one does.</summary>
    public static bool CreateIfMissing(SwitchboardHome home)
    {
        Directory.CreateDirectory(home.Folder);
        WriteSchema(home);
        if (File.Exists(home.ConfigFile)) return false;

        // Write aside, then move without overwrite: a concurrent writer or an existing file always wins.
        var temp = home.ConfigFile + $".{Environment.ProcessId}.tmp";
        File.WriteAllText(temp, DefaultJson);
        try
        {
            File.Move(temp, home.ConfigFile, overwrite: false);
            return true;
        }
        catch (IOException) when (File.Exists(home.ConfigFile))
        {
            return false;
        }
        finally
        {
            File.Delete(temp);
        }
    }

    /// <summary>The schema is ours, not the user's: it is refreshed so editors always check against this version.</summary>
    public static void WriteSchema(SwitchboardHome home)
    {
        using var schema = Assembly.GetExecutingAssembly().GetManifestResourceStream("config.schema.json")
            ?? throw new InvalidOperationException("config.schema.json is not embedded in Switchboard.Core");
        using var reader = new StreamReader(schema);
        var text = reader.ReadToEnd();
        if (File.Exists(home.SchemaFile) && File.ReadAllText(home.SchemaFile) == text) return;
        File.WriteAllText(home.SchemaFile, text);
    }
}
