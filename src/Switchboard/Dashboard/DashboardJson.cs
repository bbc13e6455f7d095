using System.Text.Json.Serialization;

namespace Switchboard.Dashboard;

/// <summary>Source-generated JSON for the dashboard API's own shapes.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UseStringEnumConverter = true)]
[JsonSerializable(typeof(ConfigView))]
[JsonSerializable(typeof(ConfigEdit))]
[JsonSerializable(typeof(SaveResult))]
[JsonSerializable(typeof(CheckResult))]
[JsonSerializable(typeof(string))]
internal sealed partial class DashboardJson : JsonSerializerContext;

public sealed record CheckResult(bool Valid, List<Problem> Problems);
