using TokenFunctions.Engine.Audit;

namespace TokenFunctions.Engine.Kill;

/// <summary>
/// Writes the kill's audit records through <see cref="AuditWriter"/>, the one component that decides what a failed
/// write means; a sink failure never fails a revocation.
/// </summary>
public sealed class KillAudit(AuditWriter writer)
{
    /// <summary>Records are written in groups of this size during a batch, bounding what a crash could lose.</summary>
    internal const int FlushEvery = 50;

    internal KillAuditBuffer StartBuffer() => new(this);

    internal Task WriteAsync(IReadOnlyList<AuditRecord> records) => writer.TryWriteAsync(records);
}
