using System.Text.Json;
using System.Text.Json.Serialization;

namespace Switchboard.Anthropic;

/// <summary>Source-generated metadata for the few plain types the pipeline serializes on its own.</summary>
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(List<JsonElement>))]
internal sealed partial class CoreJson : JsonSerializerContext;
