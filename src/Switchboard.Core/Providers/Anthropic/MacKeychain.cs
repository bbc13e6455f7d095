using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace Switchboard.Providers.Anthropic;

/// <summary>
/// Where Claude Code keeps its subscription login on macOS: not in <c>.credentials.json</c> but in the login keychain,
/// as a generic password whose value is the same JSON document. Read the way Claude Code 2.1.330 reads it:
/// <c>security find-generic-password -a ACCOUNT -w -s SERVICE</c>, with service <c>Claude Code-credentials</c>
/// (plus <c>-</c> and the first 8 hex digits of the SHA-256 of <c>$CLAUDE_CONFIG_DIR</c> when that is set) and account
/// <c>$USER</c>. A read costs a process start, so a value is reused for 30 s, as Claude Code itself does.
/// </summary>
public sealed partial class MacKeychain(string securityTool, string service, string account, TimeProvider time)
{
    private static readonly TimeSpan Reuse = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan ReadTimeout = TimeSpan.FromSeconds(3);

    private (DateTimeOffset ReadAt, byte[]? Value)? _cached;

    public string Service => service;

    /// <summary>The keychain Claude Code uses on this machine; null anywhere but macOS.</summary>
    public static MacKeychain? ForThisMachine(TimeProvider time) => OperatingSystem.IsMacOS()
        ? new MacKeychain("/usr/bin/security", ServiceName(Environment.GetEnvironmentVariable("CLAUDE_CONFIG_DIR")),
            AccountName(Environment.GetEnvironmentVariable("USER") ?? Environment.UserName), time)
        : null;

    public static string ServiceName(string? claudeConfigDirectory)
    {
        const string name = "Claude Code-credentials";
        if (claudeConfigDirectory?.Trim() is not { Length: > 0 } directory) return name;
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(directory.Normalize(NormalizationForm.FormC)));
        return $"{name}-{Convert.ToHexStringLower(hash)[..8]}";
    }

    /// <summary>Claude Code's account name: the user name when it is plain, else a fixed stand-in.</summary>
    public static string AccountName(string? user) =>
        user is { Length: > 0 } && PlainName().IsMatch(user) ? user : "claude-code-user";

    /// <summary>The stored credentials JSON, or null when the keychain holds none (or cannot be read).</summary>
    public byte[]? Read()
    {
        var now = time.GetUtcNow();
        if (_cached is { } cached && now - cached.ReadAt < Reuse) return cached.Value;
        var value = ReadNow();
        _cached = (now, value);
        return value;
    }

    /// <summary>Drops the reused value, so the next read asks the keychain again (after the token there expired).</summary>
    public void Forget() => _cached = null;

    private byte[]? ReadNow()
    {
        var info = new ProcessStartInfo(securityTool)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        foreach (var arg in new[] { "find-generic-password", "-a", account, "-w", "-s", service }) info.ArgumentList.Add(arg);
        try
        {
            using var process = Process.Start(info)!;
            process.StandardInput.Close();
            var output = process.StandardOutput.ReadToEndAsync();
            _ = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(ReadTimeout))
            {
                process.Kill();
                return null;
            }
            // Exit 44 is errSecItemNotFound (no login under this name); a locked keychain or a refused prompt fail too.
            if (process.ExitCode != 0) return null;
            return Decode(output.Result.Trim());
        }
        catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary><c>-w</c> prints a value stored as bytes (<c>-X</c>) in hex when it is not plain text.</summary>
    private static byte[] Decode(string text) =>
        text.Length % 2 == 0 && HexOnly().IsMatch(text) ? Convert.FromHexString(text) : Encoding.UTF8.GetBytes(text);

    [GeneratedRegex("^[a-zA-Z0-9._-]+$")]
    private static partial Regex PlainName();

    [GeneratedRegex("^[0-9a-fA-F]+$")]
    private static partial Regex HexOnly();
}
