using System.Text.Json;
using System.Text.Json.Serialization;
using Switchboard.Config;
using Switchboard.Files;

namespace Switchboard.Cli.Gateway;

/// <summary>
/// A sign-in to a team gateway, as <c>switchboard login</c> keeps it in the Switchboard home: the gateway's URL, the
/// access token Claude Code is handed, the refresh token that renews it, and who signed in. The file is 0600 and
/// replaced whole (<see cref="AtomicFile"/>), so a crash mid-write never leaves half a token behind.
/// </summary>
internal sealed record GatewayCredential(
    string Url, string AccessToken, string? RefreshToken, DateTimeOffset IssuedAt, DateTimeOffset ExpiresAt, string? Email)
{
    /// <summary>The SHA-256 fingerprint of the gateway's certificate the person confirmed, when no authority here vouches for it.</summary>
    public string? PinnedFingerprint { get; init; }

    /// <summary>That certificate (PEM), which Claude Code is told to trust for the gateway.</summary>
    public string? PinnedCertificate { get; init; }

    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>Whether the access token is past half its life: then it is renewed before Claude Code gets it.</summary>
    public bool WantsRefresh(DateTimeOffset now) => now >= IssuedAt + (ExpiresAt - IssuedAt) / 2;

    public static GatewayCredential? Load(SwitchboardHome home)
    {
        if (!File.Exists(home.GatewayCredentialFile)) return null;
        try { return JsonSerializer.Deserialize(File.ReadAllText(home.GatewayCredentialFile), GatewayCredentialJson.Default.GatewayCredential); }
        catch (JsonException) { return null; }
    }

    public void Save(SwitchboardHome home) =>
        AtomicFile.Write(home.GatewayCredentialFile, JsonSerializer.Serialize(this, GatewayCredentialJson.Default.GatewayCredential),
            exactMode: OperatingSystem.IsWindows() ? null : OwnerOnly);

    public static void Delete(SwitchboardHome home) => File.Delete(home.GatewayCredentialFile);

    // Tokens are never printed, not even by a debugger's ToString.
    public override string ToString() => $"GatewayCredential {{ Url = {Url}, Email = {Email}, ExpiresAt = {ExpiresAt:u} }}";
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true)]
[JsonSerializable(typeof(GatewayCredential))]
internal sealed partial class GatewayCredentialJson : JsonSerializerContext;
