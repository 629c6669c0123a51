namespace TokenFunctions.Cli.Scanning;

internal sealed record ScanResult(IReadOnlyList<ScanFinding> Findings, long FilesScanned, long BytesScanned, long SkippedBinary, long SkippedTooLarge, long Unreadable);
