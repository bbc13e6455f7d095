using System.Security.Cryptography;
using System.Text.Json;
using Switchboard.Config;

namespace Switchboard.Hosting.Team;

/// <summary>
/// A short fingerprint of the loaded config, which each replica shows on <c>/health</c> so an operator (and later the
/// replicas themselves) can tell whether every replica runs the same config. It hashes the config as loaded, with
/// <c>$VAR</c>s unexpanded: the same file on every machine gives the same hash whatever each one's secrets are. Host
/// and port are left out: each replica may bind its own (<c>--port</c>), and that is no difference in what it serves.
/// </summary>
internal sealed class ConfigHash(ConfigStore configStore)
{
    private (long Version, string Hash) _last = (-1, "");

    public string Current
    {
        get
        {
            var snapshot = configStore.Current;
            var last = _last;
            if (last.Version == snapshot.Version) return last.Hash;
            var hash = Of(snapshot.Config);
            _last = (snapshot.Version, hash);
            return hash;
        }
    }

    /// <summary><c>sha256:</c> and the first 16 hex digits of the config's canonical JSON.</summary>
    public static string Of(SwitchboardConfig config)
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(config with { Host = "", Port = 0 }, ConfigJson.Default.SwitchboardConfig);
        return "sha256:" + Convert.ToHexStringLower(SHA256.HashData(json))[..16];
    }
}
