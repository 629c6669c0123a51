using System.Collections.Concurrent;
using System.Globalization;

namespace TokenFunctions.Cli.Scanning;

/// <summary>
/// Reads files, directory trees and streams through <see cref="StreamingTokenFinder"/>, files in parallel, each with one
/// fixed buffer. Only regular files are opened: FIFOs, sockets and devices are named as not read, as are files that
/// cannot be read, that vanish before they are read, or that are over <paramref name="maxFileBytes"/> when a cap is set.
/// Symbolic links inside a tree are not followed (counted); a path given on the command line is followed.
/// </summary>
internal sealed class TreeScanner(long? maxFileBytes = null)
{
    private long _bytesDone;

    /// <summary>Bytes read so far, for the progress line.</summary>
    public long BytesDone => Interlocked.Read(ref _bytesDone);

    public static ScanPlan Plan(IEnumerable<string> roots)
    {
        var files = new List<PlannedFile>();
        var notRead = new List<NotRead>();
        long links = 0;
        foreach (var root in roots)
        {
            var full = Path.GetFullPath(root);
            var kind = FileKinds.Of(full, followLinks: true);
            if (kind == FileKind.Directory)
            {
                Walk(full, files, notRead, ref links);
            }
            else
            {
                AddFile(full, kind, files, notRead);
            }
        }

        return new ScanPlan(files, files.Sum(f => f.Length), notRead, links);
    }

    public ScanResult ScanFiles(ScanPlan plan, CancellationToken cancellationToken)
    {
        var findings = new ConcurrentBag<ScanFinding>();
        var notRead = new ConcurrentBag<NotRead>(plan.NotRead);
        long scanned = 0, bytes = 0;
        var toRead = WithinCap(plan.Files, notRead);
        Parallel.ForEach(
            toRead,
            new ParallelOptions { CancellationToken = cancellationToken, MaxDegreeOfParallelism = Environment.ProcessorCount },
            () => new byte[StreamingTokenFinder.DefaultBufferBytes],
            (file, _, buffer) =>
            {
                var found = new List<ScanFinding>();
                try
                {
                    var read = ScanFile(file, buffer, found, cancellationToken);
                    Interlocked.Increment(ref scanned);
                    Interlocked.Add(ref bytes, read);
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    notRead.Add(Unreadable(file.Path, ex));
                }
                finally
                {
                    // What was read before a failure was still searched.
                    foreach (var finding in found)
                    {
                        findings.Add(finding);
                    }
                }

                return buffer;
            },
            _ => { });

        return new ScanResult(Sort(findings), scanned, bytes, [.. notRead.OrderBy(n => n.Path, StringComparer.Ordinal)], plan.LinksNotFollowed);
    }

    /// <summary>The files to read: those over the cap (when one is set) are named as not read and counted as done.</summary>
    private List<PlannedFile> WithinCap(IReadOnlyList<PlannedFile> files, ConcurrentBag<NotRead> notRead)
    {
        var toRead = new List<PlannedFile>(files.Count);
        foreach (var file in files)
        {
            if (file.Length > maxFileBytes)
            {
                notRead.Add(new NotRead(file.Path, "over-cap", string.Create(CultureInfo.InvariantCulture, $"{file.Length / 1e6:0.0} MB, over --max-file-mb {maxFileBytes / (1024 * 1024)}")));
                Interlocked.Add(ref _bytesDone, file.Length);
            }
            else
            {
                toRead.Add(file);
            }
        }

        return toRead;
    }

    /// <summary>One file through the buffer, from start to end; returns the bytes read (what was found is in <paramref name="found"/>, also when it throws).</summary>
    private long ScanFile(PlannedFile file, byte[] buffer, List<ScanFinding> found, CancellationToken cancellationToken)
    {
        using var handle = File.OpenHandle(file.Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, FileOptions.SequentialScan);
        long offset = 0;
        return StreamingTokenFinder.Scan(
            span =>
            {
                var n = RandomAccess.Read(handle, span, offset);
                offset += n;
                return n;
            },
            buffer,
            file.Path,
            found,
            n => Interlocked.Add(ref _bytesDone, n),
            cancellationToken);
    }

    /// <summary>A stream (stdin) to its end, or to the cap: what lies beyond it is reported as not read.</summary>
    public ScanResult ScanStream(Stream input, string name, CancellationToken cancellationToken)
    {
        var findings = new List<ScanFinding>();
        var remaining = maxFileBytes ?? long.MaxValue;
        var more = false;
        var read = StreamingTokenFinder.Scan(
            span =>
            {
                if (remaining <= 0)
                {
                    more = more || input.Read(new byte[1]) > 0;
                    return 0;
                }

                var n = input.Read(span[..(int)Math.Min(span.Length, remaining)]);
                remaining -= n;
                return n;
            },
            new byte[StreamingTokenFinder.DefaultBufferBytes],
            name,
            findings,
            n => Interlocked.Add(ref _bytesDone, n),
            cancellationToken);
        IReadOnlyList<NotRead> notRead = more
            ? [new NotRead(name, "over-cap", $"only the first {maxFileBytes / (1024 * 1024)} MB were read (--max-file-mb)")]
            : [];
        return new ScanResult(Sort(findings), 1, read, notRead, 0);
    }

    private static void Walk(string root, List<PlannedFile> files, List<NotRead> notRead, ref long links)
    {
        var options = new EnumerationOptions { RecurseSubdirectories = false, IgnoreInaccessible = false, AttributesToSkip = 0, ReturnSpecialDirectories = false };
        var folders = new Stack<string>([root]);
        while (folders.Count > 0)
        {
            var folder = folders.Pop();
            try
            {
                foreach (var entry in new DirectoryInfo(folder).EnumerateFileSystemInfos("*", options))
                {
                    if (entry.Attributes.HasFlag(FileAttributes.ReparsePoint))
                    {
                        links++;
                    }
                    else if (entry is DirectoryInfo)
                    {
                        folders.Push(entry.FullName);
                    }
                    else
                    {
                        AddFile(entry.FullName, FileKinds.Of(entry.FullName, followLinks: false), files, notRead);
                    }
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                notRead.Add(ex is UnauthorizedAccessException
                    ? new NotRead(folder, "unreadable", "permission denied: the folder could not be listed")
                    : Unreadable(folder, ex));
            }
        }
    }

    private static void AddFile(string path, FileKind kind, List<PlannedFile> files, List<NotRead> notRead)
    {
        switch (kind)
        {
            case FileKind.Regular:
            case FileKind.Unknown when new FileInfo(path) is { Exists: true, Length: > 0 }:
                files.Add(new PlannedFile(path, new FileInfo(path).Length));
                break;
            case FileKind.Missing:
                notRead.Add(new NotRead(path, "vanished", "vanished before it was read"));
                break;
            case FileKind.Unknown:
                notRead.Add(new NotRead(path, "special", "empty or not a regular file (this platform cannot tell); never opened"));
                break;
            default:
                notRead.Add(new NotRead(path, "special", FileKinds.Describe(kind) + "; never opened"));
                break;
        }
    }

    private static NotRead Unreadable(string path, Exception ex) => ex switch
    {
        FileNotFoundException or DirectoryNotFoundException => new NotRead(path, "vanished", "vanished before it was read"),
        UnauthorizedAccessException => new NotRead(path, "unreadable", "permission denied"),
        _ => new NotRead(path, "unreadable", "read error: " + ex.Message),
    };

    private static List<ScanFinding> Sort(IEnumerable<ScanFinding> findings) =>
        [.. findings.OrderBy(f => f.Path, StringComparer.Ordinal).ThenBy(f => f.Line)];
}
