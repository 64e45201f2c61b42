using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace WineFunctions.Ingest;

/// <summary>
/// What makes a disk buffer one bridge's: an exclusive flock on its <c>lock</c> file, which the Linux NFS (EFS) and SMB
/// (Azure Files) clients take on the server, so it holds across hosts, unless the share is mounted with <c>nolock</c> or
/// <c>local_lock</c> (NFS) or <c>nobrl</c> (SMB). The system lets go of it when the process ends. Called here rather
/// than left to <see cref="FileShare.None"/>: .NET ignores every flock error but EWOULDBLOCK, and the SMB client answers
/// a lock held on another host with EACCES.
/// </summary>
internal static partial class BufferLock
{
    private const string FileName = "lock";
    private const int Exclusive = 2; // LOCK_EX
    private const int NonBlocking = 4; // LOCK_NB
    private const int AccessDenied = 13; // EACCES
    private const int SharingViolation = unchecked((int)0x80070020); // Windows: FileShare.None is the lock there
    private static readonly int WouldBlock = OperatingSystem.IsMacOS() ? 35 : 11; // EWOULDBLOCK

    /// <summary>The lock file, held until disposed; null while another process holds it.</summary>
    public static FileStream? TryTake(string directory)
    {
        FileStream held;
        try
        {
            held = new FileStream(Path.Combine(directory, FileName), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException e) when (e.HResult == WouldBlock || e.HResult == SharingViolation)
        {
            return null;
        }
        if (OperatingSystem.IsWindows() || Flock(held.SafeFileHandle, Exclusive | NonBlocking) == 0)
        {
            return held;
        }
        var error = Marshal.GetLastPInvokeError();
        held.Dispose();
        if (error == WouldBlock || error == AccessDenied)
        {
            return null;
        }
        throw new IOException($"the disk buffer in {directory} cannot be locked ({Marshal.GetPInvokeErrorMessage(error)}): "
            + "it must be on a file system with locks, so that two bridges never share it");
    }

    [LibraryImport("libc", EntryPoint = "flock", SetLastError = true)]
    private static partial int Flock(SafeFileHandle file, int operation);
}
