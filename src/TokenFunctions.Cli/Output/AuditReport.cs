using System.Globalization;
using TokenFunctions.Engine.Audit;

namespace TokenFunctions.Cli.Output;

/// <summary><c>audit</c>: records newest first, in the audit API's shape.</summary>
public sealed record AuditReport(int Count, IReadOnlyList<AuditRecordDto> Records) : ITableReport
{
    public void WriteTable(TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        var table = new TextTable("TIME (UTC)", "SOURCE", "ACTION", "OUTCOME", "TOKEN ID", "OWNER", "DRY", "CORRELATION", "REQUESTED BY", "DETAIL");
        foreach (var r in Records)
        {
            table.Add(r.Timestamp.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture), r.Source, r.Action, r.Outcome, r.TokenId, r.Owner, r.DryRun ? "yes" : null, r.CorrelationId, r.RequestedBy, r.Detail);
        }

        table.WriteTo(writer);
        writer.WriteLine($"{Count} audit record(s).");
    }
}
