namespace TokenFunctions.Cli.Output;

/// <summary><c>scan</c>: what was read, what was skipped, what was found, and with <c>--kill</c> what happened to it.</summary>
public sealed record ScanReport(
    long FilesScanned,
    long BytesScanned,
    long SkippedBinary,
    long SkippedTooLarge,
    long Unreadable,
    IReadOnlyList<ScanFindingRow> Findings) : ITableReport
{
    public KillReport? Kill { get; init; }

    public void WriteTable(TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (Findings.Count > 0)
        {
            var table = new TextTable("FOUND AT", "TOKEN ID", "KIND", "FINGERPRINT");
            foreach (var f in Findings)
            {
                table.Add(f.Location, f.TokenId, f.Kind, KillReport.ShortFingerprint(f.Fingerprint));
            }

            table.WriteTo(writer);
        }

        writer.WriteLine($"Scanned {FilesScanned} file(s), {BytesScanned / (1024.0 * 1024.0):0.0} MB; skipped {SkippedBinary} binary, {SkippedTooLarge} over the size cap, {Unreadable} unreadable. Found {Findings.Count} token(s) ({Findings.Select(f => f.TokenId).Distinct(StringComparer.Ordinal).Count()} distinct).");
        if (Kill is not null)
        {
            writer.WriteLine();
            Kill.WriteTable(writer);
        }
    }
}
