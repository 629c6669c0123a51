using System.Buffers;
using System.Collections.Concurrent;
using Microsoft.Win32.SafeHandles;
using TokenFunctions.Engine.Tokens;

namespace TokenFunctions.Cli.Scanning;

/// <summary>
/// Finds Dynatrace tokens in files, directory trees and streams with the engine's recogniser over raw UTF-8 bytes
/// (no decoding, no per-line strings), files in parallel. Binaries (a NUL in the first 8,000 bytes, git's rule) and
/// files over the size cap are skipped and counted; symbolic links are not followed.
/// </summary>
internal sealed class TreeScanner(long maxFileBytes)
{
    private const int BinaryProbeBytes = 8000;

    private long _bytesDone;

    /// <summary>Bytes read so far, for the progress bar.</summary>
    public long BytesDone => Interlocked.Read(ref _bytesDone);

    /// <summary>Files to read and their total size, so a progress bar knows its end before reading starts.</summary>
    public static (List<FileInfo> Files, long TotalBytes, long Unreadable) Enumerate(IEnumerable<string> roots)
    {
        var files = new List<FileInfo>();
        long unreadable = 0;
        foreach (var root in roots)
        {
            if (File.Exists(root))
            {
                files.Add(new FileInfo(root));
            }
            else if (Directory.Exists(root))
            {
                var options = new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true, AttributesToSkip = FileAttributes.ReparsePoint, ReturnSpecialDirectories = false };
                files.AddRange(new DirectoryInfo(root).EnumerateFiles("*", options));
            }
            else
            {
                unreadable++;
            }
        }

        return (files, files.Sum(f => f.Length), unreadable);
    }

    public async Task<ScanResult> ScanFilesAsync(IReadOnlyList<FileInfo> files, long unreadableBefore, CancellationToken cancellationToken)
    {
        var findings = new ConcurrentBag<ScanFinding>();
        long scanned = 0, bytes = 0, binary = 0, tooLarge = 0, unreadable = unreadableBefore;
        await Parallel.ForEachAsync(files, new ParallelOptions { CancellationToken = cancellationToken, MaxDegreeOfParallelism = Environment.ProcessorCount }, (file, ct) =>
        {
            var length = file.Length;
            if (length > maxFileBytes)
            {
                Interlocked.Increment(ref tooLarge);
                Interlocked.Add(ref _bytesDone, length);
                return ValueTask.CompletedTask;
            }

            var buffer = ArrayPool<byte>.Shared.Rent((int)Math.Max(1, length));
            try
            {
                int read;
                try
                {
                    using var handle = File.OpenHandle(file.FullName, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, FileOptions.SequentialScan);
                    read = ReadAll(handle, buffer.AsSpan(0, (int)length));
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    Interlocked.Increment(ref unreadable);
                    return ValueTask.CompletedTask;
                }

                var content = buffer.AsSpan(0, read);
                Interlocked.Add(ref _bytesDone, length);
                if (content[..Math.Min(content.Length, BinaryProbeBytes)].Contains((byte)0))
                {
                    Interlocked.Increment(ref binary);
                    return ValueTask.CompletedTask;
                }

                Interlocked.Increment(ref scanned);
                Interlocked.Add(ref bytes, read);
                Collect(content, file.FullName, findings);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }

            return ValueTask.CompletedTask;
        }).ConfigureAwait(false);

        return new ScanResult(Sort(findings), scanned, bytes, binary, tooLarge, unreadable);
    }

    /// <summary>Stdin (or any stream), read whole up to the size cap.</summary>
    public async Task<ScanResult> ScanStreamAsync(Stream input, string name, CancellationToken cancellationToken)
    {
        using var memory = new MemoryStream();
        var chunk = new byte[81920];
        int n;
        while ((n = await input.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (memory.Length + n > maxFileBytes)
            {
                return new ScanResult([], 0, 0, 0, 1, 0);
            }

            memory.Write(chunk, 0, n);
        }

        var findings = new ConcurrentBag<ScanFinding>();
        var content = memory.GetBuffer().AsSpan(0, (int)memory.Length);
        Collect(content, name, findings);
        return new ScanResult(Sort(findings), 1, memory.Length, 0, 0, 0);
    }

    private static void Collect(ReadOnlySpan<byte> content, string path, ConcurrentBag<ScanFinding> findings)
    {
        var line = 1;
        var counted = 0;
        foreach (var match in TokenScanner.EnumerateMatches(content))
        {
            line += content[counted..match.Start].Count((byte)'\n');
            counted = match.Start;

            // A token is pure ASCII, so Latin-1 decoding of its bytes is exact.
            if (TokenSecret.TryParse(System.Text.Encoding.Latin1.GetString(content.Slice(match.Start, match.Length)), out var secret))
            {
                findings.Add(new ScanFinding(path, line, secret));
            }
        }
    }

    private static int ReadAll(SafeFileHandle handle, Span<byte> buffer)
    {
        var total = 0;
        while (total < buffer.Length)
        {
            var n = RandomAccess.Read(handle, buffer[total..], total);
            if (n == 0)
            {
                break;
            }

            total += n;
        }

        return total;
    }

    private static List<ScanFinding> Sort(IEnumerable<ScanFinding> findings) =>
        [.. findings.OrderBy(f => f.Path, StringComparer.Ordinal).ThenBy(f => f.Line)];
}
