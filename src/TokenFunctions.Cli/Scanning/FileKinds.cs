using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace TokenFunctions.Cli.Scanning;

/// <summary>
/// The type of a path without opening it. Opening a FIFO for reading blocks until a writer appears and a device may never
/// end, yet .NET 10 reports both as ordinary files (<c>FileAttributes.Normal</c>, length 0; <c>SafeFileHandle.Type</c>
/// arrives in .NET 11). So: <c>statx</c> on Linux (one layout on every architecture, <c>stx_mode</c> at offset 28), and
/// <c>lstat</c>/<c>stat</c> on macOS (64-bit-inode <c>struct stat</c>, <c>st_mode</c> at offset 4; UNCONFIRMED: no macOS
/// machine runs these tests). Windows paths below a folder are files or folders.
/// </summary>
internal static partial class FileKinds
{
    private const int AtFdCwd = -100;
    private const int AtSymlinkNoFollow = 0x100;
    private const uint StatxType = 0x1;

    public static FileKind Of(string path, bool followLinks)
    {
        if (OperatingSystem.IsWindows())
        {
            return Directory.Exists(path) ? FileKind.Directory : File.Exists(path) ? FileKind.Regular : FileKind.Missing;
        }

        Span<byte> buffer = stackalloc byte[256];
        int result;
        int modeOffset;
        try
        {
            if (OperatingSystem.IsLinux())
            {
                result = Statx(AtFdCwd, path, followLinks ? 0 : AtSymlinkNoFollow, StatxType, buffer);
                modeOffset = 28;
            }
            else if (OperatingSystem.IsMacOS())
            {
                var x64 = RuntimeInformation.ProcessArchitecture == Architecture.X64;
                result = followLinks ? (x64 ? StatX64(path, buffer) : Stat(path, buffer)) : (x64 ? LstatX64(path, buffer) : Lstat(path, buffer));
                modeOffset = 4;
            }
            else
            {
                return FileKind.Unknown;
            }
        }
        catch (Exception ex) when (ex is EntryPointNotFoundException or DllNotFoundException)
        {
            return FileKind.Unknown;
        }

        if (result != 0)
        {
            return Marshal.GetLastPInvokeError() is 2 or 20 ? FileKind.Missing : FileKind.Unknown;
        }

        return (BinaryPrimitives.ReadUInt16LittleEndian(buffer[modeOffset..]) & 0xF000) switch
        {
            0x8000 => FileKind.Regular,
            0x4000 => FileKind.Directory,
            0xA000 => FileKind.SymbolicLink,
            0x1000 => FileKind.NamedPipe,
            0xC000 => FileKind.Socket,
            0x2000 => FileKind.CharacterDevice,
            0x6000 => FileKind.BlockDevice,
            _ => FileKind.Unknown,
        };
    }

    /// <summary>How a not-read message names the kind.</summary>
    public static string Describe(FileKind kind) => kind switch
    {
        FileKind.NamedPipe => "a named pipe (FIFO)",
        FileKind.Socket => "a socket",
        FileKind.CharacterDevice => "a character device",
        FileKind.BlockDevice => "a block device",
        _ => "not a regular file",
    };

    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Statx(int directoryFd, string path, int flags, uint mask, Span<byte> buffer);

    [LibraryImport("libc", EntryPoint = "stat", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Stat(string path, Span<byte> buffer);

    [LibraryImport("libc", EntryPoint = "lstat", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Lstat(string path, Span<byte> buffer);

    [LibraryImport("libc", EntryPoint = "stat$INODE64", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int StatX64(string path, Span<byte> buffer);

    [LibraryImport("libc", EntryPoint = "lstat$INODE64", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int LstatX64(string path, Span<byte> buffer);
}
