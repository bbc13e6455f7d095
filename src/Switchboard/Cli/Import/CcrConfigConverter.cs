using System.Globalization;
using System.Text.Json.Nodes;

namespace Switchboard.Cli.Import;

/// <summary>
/// Turns a claude-code-router <c>config.json</c> (its keys: <c>Providers[]</c>, <c>Router</c>, transformers, <c>APIKEY</c>,
/// <c>HOST</c>, <c>API_TIMEOUT_MS</c>, <c>NON_INTERACTIVE_MODE</c>) into the parts of ours, and lists what has no
/// counterpart. Values are copied as written, <c>$VAR</c> references included, except CCR's endpoint URLs (made the
/// base URL each provider type expects, <see cref="CcrBaseUrl"/>) and transformer names (matched in any case, as CCR
/// users write <c>"Anthropic"</c>, and written in ours).
/// </summary>
internal static class CcrConfigConverter
{
    public sealed record Result(JsonObject Providers, JsonObject Routes, JsonObject Settings, List<string> NotCarried);

    /// <summary>CCR's Router keys that are duties of ours under the same name.</summary>
    private static readonly string[] Duties = ["default", "background", "think", "longContext", "webSearch", "image"];

    /// <summary>CCR transformers that name a server: ours knows each as an <c>openai</c> preset.</summary>
    private static readonly string[] ServerTransformers = ["openrouter", "groq", "deepseek"];

    /// <summary>Transformers ours implements under CCR's name.</summary>
    private static readonly string[] Transformers = ["maxtoken", "sampling", "cleancache", "reasoning", "enhancetool", "tooluse", "streamoptions", "customparams"];

    public static Result Convert(JsonObject ccr)
    {
        var providers = new JsonObject();
        var routes = new JsonObject();
        var settings = new JsonObject();
        var notCarried = new List<string>();
        int? timeoutSeconds = WholeNumber(ccr["API_TIMEOUT_MS"]) is { } ms ? Math.Max(1, ms / 1000) : null;

        foreach (var entry in ccr["Providers"] as JsonArray ?? ccr["providers"] as JsonArray ?? [])
        {
            if (entry is not JsonObject provider || provider["name"]?.GetValue<string>() is not { Length: > 0 } name)
            {
                notCarried.Add("a Providers entry without a name");
                continue;
            }
            providers[name] = ConvertProvider(name, provider, timeoutSeconds, notCarried);
        }

        foreach (var (key, value) in ccr["Router"] as JsonObject ?? [])
        {
            var text = value is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
            if (key == "longContextThreshold")
            {
                if (WholeNumber(value) is { } tokens) settings["longContextThreshold"] = tokens;
                else notCarried.Add($"Router.longContextThreshold ({value?.ToJsonString()}): not a whole number of tokens");
            }
            else if (Duties.Contains(key) && text is { Length: > 0 })
                routes[key] = Target(text);
            else if (text is { Length: > 0 } || value is not null && value is not JsonValue)
                notCarried.Add($"Router.{key} ({value?.ToJsonString()}): no duty of that name");
        }

        if (ccr["APIKEY"]?.GetValue<string>() is { Length: > 0 } apiKey) settings["apiKey"] = apiKey;
        if (ccr["HOST"]?.GetValue<string>() is { Length: > 0 } host) settings["host"] = host;
        if (ccr["PROXY_URL"]?.GetValue<string>() is { Length: > 0 } proxy) settings["proxyUrl"] = proxy;
        if (ccr["NON_INTERACTIVE_MODE"] is JsonValue nonInteractive && nonInteractive.TryGetValue<bool>(out var headless) && headless)
            settings["claudeCode"] = new JsonObject { ["nonInteractive"] = true };
        string[] handled = ["Providers", "providers", "Router", "APIKEY", "HOST", "PROXY_URL", "API_TIMEOUT_MS", "NON_INTERACTIVE_MODE", "PORT"];
        foreach (var (key, value) in ccr)
            if (!handled.Contains(key)) notCarried.Add($"{key} ({Shorten(value?.ToJsonString())}): Switchboard has no such setting");
        if (ccr["PORT"] is not null) notCarried.Add("PORT: kept Switchboard's own port (Claude Code is pointed at it by `switchboard code`)");
        return new Result(providers, routes, settings, notCarried);
    }

    /// <summary>CCR writes targets <c>provider,model</c>; ours are <c>provider:model</c>.</summary>
    public static string Target(string ccrTarget)
    {
        var comma = ccrTarget.IndexOf(',');
        return comma < 0 ? ccrTarget : $"{ccrTarget[..comma]}:{ccrTarget[(comma + 1)..]}";
    }

    private static JsonObject ConvertProvider(string name, JsonObject ccr, int? timeoutSeconds, List<string> notCarried)
    {
        var baseUrl = ccr["api_base_url"]?.GetValue<string>();
        var transformer = ccr["transformer"] as JsonObject;
        var uses = (transformer?["use"] as JsonArray ?? []).ToList();
        var names = uses.Select(NameOf).ToList();

        var type = names.Contains("anthropic") ? "anthropic"
            : names.Contains("gemini") ? "gemini"
            : baseUrl is not null && CcrBaseUrl.IsOllama(baseUrl) ? "ollama"
            : "openai";
        var ours = new JsonObject { ["type"] = type };
        if (type == "openai" && names.FirstOrDefault(ServerTransformers.Contains) is { } preset) ours["preset"] = preset;
        if (baseUrl is not null) ours["baseUrl"] = CcrBaseUrl.Normalise(type, baseUrl);
        if (ccr["api_key"]?.GetValue<string>() is { Length: > 0 } apiKey) ours["apiKey"] = apiKey;
        if (ccr["models"] is JsonArray models) ours["models"] = models.DeepClone();
        if (timeoutSeconds is { } seconds) ours["timeoutSeconds"] = seconds;

        var carried = Carry(uses, $"Providers[{name}].transformer.use", type, notCarried);
        if (carried.Count > 0) ours["transformers"] = carried;

        var perModel = new JsonObject();
        foreach (var (key, value) in transformer ?? [])
        {
            if (key == "use") continue;
            var modelUses = (value as JsonObject)?["use"] as JsonArray;
            if (modelUses is null)
            {
                notCarried.Add($"Providers[{name}].transformer.{key}: not a model's {{\"use\": [...]}}");
                continue;
            }
            var modelCarried = Carry(modelUses.ToList(), $"Providers[{name}].transformer.{key}.use", type, notCarried);
            if (modelCarried.Count > 0) perModel[key] = new JsonObject { ["transformers"] = modelCarried };
        }
        if (perModel.Count > 0) ours["perModel"] = perModel;
        return ours;
    }

    private static JsonArray Carry(List<JsonNode?> uses, string where, string type, List<string> notCarried)
    {
        var carried = new JsonArray();
        foreach (var use in uses)
        {
            var name = NameOf(use);
            if (name is "anthropic" or "gemini" || ServerTransformers.Contains(name)) continue; // became the type or preset
            if (type == "openai" && name is not null && Transformers.Contains(name)) carried.Add(Renamed(use!, name));
            else notCarried.Add($"{where}: transformer '{name ?? use?.ToJsonString()}' has no Switchboard counterpart" +
                                (type == "openai" ? "" : $" for a {type} provider"));
        }
        return carried;
    }

    /// <summary>A transformer's name (<c>"name"</c> or <c>["name", {options}]</c>), lower-cased as ours are.</summary>
    private static string? NameOf(JsonNode? use) => use switch
    {
        JsonValue value when value.TryGetValue<string>(out var name) => name.ToLowerInvariant(),
        JsonArray { Count: > 0 } array when array[0] is JsonValue first && first.TryGetValue<string>(out var name) => name.ToLowerInvariant(),
        _ => null,
    };

    /// <summary>The transformer as ours spells it: <c>"Maxtoken"</c> → <c>"maxtoken"</c>, options kept.</summary>
    private static JsonNode Renamed(JsonNode use, string name)
    {
        if (use is not JsonArray array) return JsonValue.Create(name);
        var copy = (JsonArray)array.DeepClone();
        copy[0] = name;
        return copy;
    }

    /// <summary>A count as CCR configs write it: a number, or the same in a string (<c>"60000"</c>).</summary>
    private static int? WholeNumber(JsonNode? node) => node switch
    {
        JsonValue value when value.TryGetValue<int>(out var number) => number,
        JsonValue value when value.TryGetValue<string>(out var text) &&
            int.TryParse(text.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed) => parsed,
        _ => null,
    };

    private static string Shorten(string? text) => text is null ? "null" : text.Length <= 40 ? text : text[..37] + "...";
}
