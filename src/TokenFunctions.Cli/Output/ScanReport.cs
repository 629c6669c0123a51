namespace TokenFunctions.Cli.Output;

/// <summary>
/// <c>scan</c>: what was read, what was not (every path named), what was found, and with <c>--kill</c> what happened to
/// it. <see cref="Complete"/> is false whenever anything given was not read: then no summary says "all done" alone.
/// </summary>
public sealed record ScanReport(
    long FilesScanned,
    long BytesScanned,
    bool Complete,
    IReadOnlyList<NotReadRow> NotRead,
    long LinksNotFollowed,
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

        writer.WriteLine($"Scanned {FilesScanned} file(s), {BytesScanned / 1e6:0.0} MB. Found {Findings.Count} token(s) ({Findings.Select(f => f.TokenId).Distinct(StringComparer.Ordinal).Count()} distinct)."
            + (LinksNotFollowed > 0 ? $" {LinksNotFollowed} symbolic link(s) not followed." : string.Empty));
        if (Kill is not null)
        {
            writer.WriteLine();
            Kill.WriteTable(writer);
        }

        if (!Complete)
        {
            writer.WriteLine($"INCOMPLETE: {NotRead.Count} path(s) were not read (named on stderr); tokens in them were not looked for.");
        }
    }
}

public sealed record NotReadRow(string Path, string Reason, string Detail);
