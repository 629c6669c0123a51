namespace TokenFunctions.Cli.Output;

/// <summary>One token found by <c>scan</c>: where, its id and fingerprint.</summary>
public sealed record ScanFindingRow(string Path, long Line, string TokenId, string Kind, string Fingerprint)
{
    public string Location => $"{Path}:{Line}";
}
