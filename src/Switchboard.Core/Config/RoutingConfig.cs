using System.Text.Json;
using System.Text.Json.Serialization;

namespace Switchboard.Config;

/// <summary>
/// Where each duty goes (<c>routes</c> in config). Each value is a target list: one target
/// (<c>"provider:model"</c>, or <c>"provider"</c> to keep the requested model) or several, tried in order.
/// </summary>
public sealed record RoutesConfig
{
    public TargetList? Default { get; init; }
    public TargetList? Background { get; init; }
    public TargetList? Subagent { get; init; }
    public TargetList? Think { get; init; }
    public TargetList? LongContext { get; init; }
    public TargetList? WebSearch { get; init; }
    public TargetList? Image { get; init; }

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
/// <remarks>The default is a constructor parameter so that the source-generated reader keeps it (see <see cref="SwitchboardConfig"/>).</remarks>
public sealed record RouteRule(RuleConditions? When = null)
{
    public string? Name { get; init; }
    public RuleConditions When { get; init; } = When ?? new();
    public required TargetList To { get; init; }
}

/// <summary>Conditions of a rule; all given must hold. Globs use <c>*</c> and <c>?</c>.</summary>
public sealed record RuleConditions
{
    /// <summary>The detected duty (the first that applies, in <c>dutyOrder</c>), or any of several.</summary>
    public List<string>? Duty { get; init; }

    /// <summary>Glob over the requested model.</summary>
    public string? Model { get; init; }

    public int? MinTokens { get; init; }
    public int? MaxTokens { get; init; }

    /// <summary>Whether the request carries tools.</summary>
    public bool? HasTools { get; init; }

    /// <summary>Header name → glob over its value (a missing header never matches).</summary>
    public Dictionary<string, string>? Headers { get; init; }
}

/// <summary>Retries before the first byte reaches the client, and the cool-down of targets that keep failing.</summary>
/// <remarks>The defaults are constructor parameters so that the source-generated reader keeps them (see <see cref="SwitchboardConfig"/>).</remarks>
public sealed record RetryConfig(int Attempts = 2, int BackoffMs = 500, int MaxBackoffMs = 8000, int FailuresBeforeCooldown = 3, int CooldownSeconds = 60)
{
    /// <summary>Retries of one target before the next is tried (0: go straight to the next).</summary>
    public int Attempts { get; init; } = Attempts;
    public int BackoffMs { get; init; } = BackoffMs;
    public int MaxBackoffMs { get; init; } = MaxBackoffMs;

    /// <summary>Failures in a row after which a target is skipped (while others remain) for <see cref="CooldownSeconds"/>.</summary>
    public int FailuresBeforeCooldown { get; init; } = FailuresBeforeCooldown;
    public int CooldownSeconds { get; init; } = CooldownSeconds;
}

/// <summary>One target or an ordered list of them; written in config as a string or an array of strings.</summary>
[JsonConverter(typeof(TargetListConverter))]
public sealed class TargetList
{
    public required IReadOnlyList<string> Targets { get; init; }

    public override string ToString() => string.Join(" → ", Targets);
}

internal sealed class TargetListConverter : JsonConverter<TargetList>
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
