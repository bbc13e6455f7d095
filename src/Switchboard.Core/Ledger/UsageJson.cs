using System.Text.Json.Serialization;

namespace Switchboard.Ledger;

/// <summary>Source-generated JSON for the ledger's records and reports (dashboard API, <c>switchboard usage --json</c>).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    WriteIndented = false)]
[JsonSerializable(typeof(RequestRecord))]
[JsonSerializable(typeof(List<RequestRecord>))]
[JsonSerializable(typeof(UsageSummary))]
[JsonSerializable(typeof(List<UsageTotals>))]
public sealed partial class UsageJson : JsonSerializerContext;
