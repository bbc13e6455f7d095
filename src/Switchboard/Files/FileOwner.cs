using System.Runtime.InteropServices;

namespace Switchboard.Files;

/// <summary>
/// A file's owner (user and group ids), read and set through libc, for <see cref="AtomicFile"/>: when root edits a
/// user's config (<c>sudo switchboard …</c>, a service running as root) the new file must stay the user's. Linux only:
/// <c>statx</c> has one layout on every Linux architecture, while <c>stat</c>'s differs by architecture and libc; on
/// other systems the owner is left as the system makes it.
/// </summary>
internal static partial class FileOwner
{
    private const int AtCurrentFolder = -100;
    private const uint WantUidAndGid = 0x0008 | 0x0010;
    private const int StatxUid = 20, StatxGid = 24, StatxSize = 256;

    /// <summary>Whether this process may give a file away (only root may), so copying the owner means anything.</summary>
    public static bool CanGiveAway => OperatingSystem.IsLinux() && GetEffectiveUserId() == 0;

    /// <summary>The owner of <paramref name="path"/>, or null when it cannot be read here.</summary>
    public static unsafe (uint User, uint Group)? Of(string path)
    {
        if (!OperatingSystem.IsLinux()) return null;
        var buffer = stackalloc byte[StatxSize];
        if (Statx(AtCurrentFolder, path, 0, WantUidAndGid, buffer) != 0) return null;
        return (*(uint*)(buffer + StatxUid), *(uint*)(buffer + StatxGid));
    }

    /// <summary>Makes <paramref name="owner"/> the owner of <paramref name="path"/>; false when the system refuses.</summary>
    public static bool Set(string path, (uint User, uint Group) owner) =>
        OperatingSystem.IsLinux() && Chown(path, owner.User, owner.Group) == 0;

    [LibraryImport("libc", EntryPoint = "statx", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static unsafe partial int Statx(int folder, string path, int flags, uint mask, byte* result);

    [LibraryImport("libc", EntryPoint = "chown", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Chown(string path, uint user, uint group);

    [LibraryImport("libc", EntryPoint = "geteuid")]
    private static partial uint GetEffectiveUserId();
}
