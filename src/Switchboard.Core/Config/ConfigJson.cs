using System.Text.Json;
using System.Text.Json.Serialization;

namespace Switchboard.Config;

/// <summary>
/// Source-generated reading and writing of <c>config.json</c>. Unknown keys are refused so a typo is reported
/// instead of silently ignored; comments and trailing commas are allowed because people edit this file by hand.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    ReadCommentHandling = JsonCommentHandling.Skip,
    AllowTrailingCommas = true,
    WriteIndented = true)]
[JsonSerializable(typeof(SwitchboardConfig))]
public sealed partial class ConfigJson : JsonSerializerContext;
