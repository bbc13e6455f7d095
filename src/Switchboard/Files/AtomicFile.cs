using System.Text;

namespace Switchboard.Files;

/// <summary>
/// The one way Switchboard replaces a file that may hold secrets (the config, its backup): the text goes to a temp
/// file in the same folder, which is given the old file's permissions (and, when root writes it, its owner) before it
/// is moved over it, so a config the user made 0600 stays 0600 and theirs after any edit, from the CLI or the
/// dashboard, and is never readable by others even for a moment.
/// </summary>
internal static class AtomicFile
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>
    /// Writes <paramref name="text"/> as <paramref name="path"/>. The file keeps the permissions and owner of
    /// <paramref name="permissionsOf"/> (by default the file being replaced; new files get the usual ones).
    /// <paramref name="accept"/>, when given, sees the temp file first; if it says no, nothing is written.
    /// <paramref name="exactMode"/> gives the permissions outright (a credential: 0600, whatever was there).
    /// </summary>
    public static bool Write(string path, string text, Func<string, bool>? accept = null, string? permissionsOf = null, UnixFileMode? exactMode = null)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(folder);
        var temp = Path.Combine(folder, $".{Path.GetFileName(path)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        try
        {
            var mode = exactMode ?? ModeOf(permissionsOf ?? path);
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            // Created with the old mode (less the umask) and then set exactly: never wider than the old file.
            if (mode is { } created && !OperatingSystem.IsWindows()) options.UnixCreateMode = created;
            using (var stream = new FileStream(temp, options))
            using (var writer = new StreamWriter(stream, Utf8))
                writer.Write(text);
            if (mode is { } exact && !OperatingSystem.IsWindows()) File.SetUnixFileMode(temp, exact);
            // A refusal (root squashed on a network share) leaves root's file with the old mode: still private.
            if (FileOwner.CanGiveAway && FileOwner.Of(permissionsOf ?? path) is { } owner) FileOwner.Set(temp, owner);
            if (accept is not null && !accept(temp)) return false;
            File.Move(temp, path, overwrite: true);
            return true;
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }

    private static UnixFileMode? ModeOf(string path) =>
        !OperatingSystem.IsWindows() && File.Exists(path) ? File.GetUnixFileMode(path) : null;
}
