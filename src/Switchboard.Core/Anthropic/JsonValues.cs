using System.Text.Json;

namespace Switchboard.Anthropic;

/// <summary>JSON values every mapper needs, parsed once: a tool call without arguments still carries <c>{}</c>.</summary>
internal static class JsonValues
{
    /// <summary><c>{}</c>, detached from the document it was parsed from, so any number of readers may share it.</summary>
    public static readonly JsonElement EmptyObject = JsonDocument.Parse("{}").RootElement.Clone();
}
