namespace TokenFunctions.Cli.Scanning;

/// <summary>What a scan read and found; it is complete only when <see cref="NotRead"/> is empty.</summary>
internal sealed record ScanResult(IReadOnlyList<ScanFinding> Findings, long FilesScanned, long BytesScanned, IReadOnlyList<NotRead> NotRead, long LinksNotFollowed)
{
    public bool Complete => NotRead.Count == 0;
}
