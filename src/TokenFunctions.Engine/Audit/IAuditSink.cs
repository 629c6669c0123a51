namespace TokenFunctions.Engine.Audit;

/// <summary>Where audit records go. The durable store is Azure Table Storage; tests may capture in memory.</summary>
public interface IAuditSink
{
    Task WriteAsync(IReadOnlyList<AuditRecord> records, CancellationToken cancellationToken);
}
