namespace TokenFunctions.Cli.Scanning;

/// <summary>The regular files a scan will read (and their total size, for progress), and what it already knows it will not read.</summary>
internal sealed record ScanPlan(IReadOnlyList<PlannedFile> Files, long TotalBytes, IReadOnlyList<NotRead> NotRead, long LinksNotFollowed);

internal readonly record struct PlannedFile(string Path, long Length);
