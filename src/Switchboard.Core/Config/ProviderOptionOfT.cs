using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Switchboard.Config;

/// <summary>
/// A key of a provider entry that one type takes (<c>numCtx</c>: a whole number, for <c>ollama</c>), kept as written in
/// <see cref="ProviderConfig.TypeOptions"/> and read with <paramref name="Json"/>, the type's own source-generated
/// metadata, so the shared entry never lists another folder's keys. <see cref="ConfigLoader"/> checks every such value
/// before any provider reads it.
/// </summary>
public sealed record ProviderOption<T>(string Key, JsonTypeInfo<T> Json)
    : ProviderOption(Key, config => config.TypeOptions?.GetValueOrDefault(Key).ValueKind is not (null or JsonValueKind.Undefined or JsonValueKind.Null))
{
    public override JsonTypeInfo Value => Json;

    /// <summary>The value in <paramref name="config"/>, or the default when the key is not set.</summary>
    public T? Read(ProviderConfig config) =>
        config.TypeOptions is { } options && options.TryGetValue(Key, out var value) ? value.Deserialize(Json) : default;

    /// <summary><paramref name="config"/> with this key set to <paramref name="value"/>, as if the file said so.</summary>
    public ProviderConfig With(ProviderConfig config, T value) => config.WithTypeOption(Key, JsonSerializer.SerializeToElement(value, Json));
}
