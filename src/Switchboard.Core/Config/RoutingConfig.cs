using System.Text.Json;
using System.Text.Json.Serialization;

namespace Switchboard.Config;

/// <summary>
/// Where each duty goes (<c>routes</c> in config). Each value is a target list: one target
/// (<c>"provider:model"</c>, or <c>"provider"</c> to keep the requested model) or several, tried in order.
/// </summary>
public sealed record RoutesConfig
{
    public TargetList? Default { get; set; }
    public TargetList? Background { get; set; }
    public TargetList? Subagent { get; set; }
    public TargetList? Think { get; set; }
    public TargetList? LongContext { get; set; }
    public TargetList? WebSearch { get; set; }
    public TargetList? Image { get; set; }

    public TargetList? For(string duty) => duty switch
    {
        Routing.Duties.Default => Default,
        Routing.Duties.Background => Background,
        Routing.Duties.Subagent => Subagent,
        Routing.Duties.Think => Think,
        Routing.Duties.LongContext => LongContext,
        Routing.Duties.WebSearch => WebSearch,
        Routing.Duties.Image => Image,
        _ => null,
    };
}

/// <summary>One declarative rule: when every condition given holds, the request goes to <see cref="To"/>.</summary>
public sealed record RouteRule
{
    public string? Name { get; set; }
    public RuleConditions When { get; set; } = new();
    public required TargetList To { get; set; }
}

/// <summary>Conditions of a rule; all given must hold. Globs use <c>*</c> and <c>?</c>.</summary>
public sealed record RuleConditions
{
    /// <summary>The detected duty (the first that applies, in <c>dutyOrder</c>), or any of several.</summary>
    public List<string>? Duty { get; set; }

    /// <summary>Glob over the requested model.</summary>
    public string? Model { get; set; }

    public int? MinTokens { get; set; }
    public int? MaxTokens { get; set; }

    /// <summary>Whether the request carries tools.</summary>
    public bool? HasTools { get; set; }

    /// <summary>Header name → glob over its value (a missing header never matches).</summary>
    public Dictionary<string, string>? Headers { get; set; }
}

/// <summary>Retries before the first byte reaches the client, and the cool-down of targets that keep failing.</summary>
public sealed record RetryConfig
{
    /// <summary>Retries of one target before the next is tried (0: go straight to the next).</summary>
    public int Attempts { get; set; } = 2;
    public int BackoffMs { get; set; } = 500;
    public int MaxBackoffMs { get; set; } = 8000;

    /// <summary>Failures in a row after which a target is skipped (while others remain) for <see cref="CooldownSeconds"/>.</summary>
    public int FailuresBeforeCooldown { get; set; } = 3;
    public int CooldownSeconds { get; set; } = 60;
}

/// <summary>One target or an ordered list of them; written in config as a string or an array of strings.</summary>
[JsonConverter(typeof(TargetListConverter))]
public sealed class TargetList
{
    public required IReadOnlyList<string> Targets { get; init; }

    public override string ToString() => string.Join(" → ", Targets);
}

public sealed class TargetListConverter : JsonConverter<TargetList>
{
    public override TargetList? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.String) return new TargetList { Targets = [reader.GetString()!] };
        if (reader.TokenType != JsonTokenType.StartArray)
            throw new JsonException("a target is \"provider:model\", \"provider\", or an array of them");
        var targets = new List<string>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.String) throw new JsonException("every target in the list must be a string");
            targets.Add(reader.GetString()!);
        }
        if (targets.Count == 0) throw new JsonException("a target list may not be empty");
        return new TargetList { Targets = targets };
    }

    public override void Write(Utf8JsonWriter writer, TargetList value, JsonSerializerOptions options)
    {
        if (value.Targets.Count == 1)
        {
            writer.WriteStringValue(value.Targets[0]);
            return;
        }
        writer.WriteStartArray();
        foreach (var target in value.Targets) writer.WriteStringValue(target);
        writer.WriteEndArray();
    }
}
