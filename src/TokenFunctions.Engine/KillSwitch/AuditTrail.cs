using TokenFunctions.Engine.Audit;

namespace TokenFunctions.Engine.KillSwitch;

/// <summary>
/// Writes the kill-switch's audit records through <see cref="AuditWriter"/>, the one component that decides what a failed
/// write means; a sink failure never fails a revocation.
/// </summary>
internal sealed class AuditTrail(AuditWriter writer)
{
    /// <summary>Records are written in groups of this size during a batch, bounding what a crash could lose.</summary>
    public const int FlushEvery = 50;

    public AuditBuffer StartBuffer() => new(this);

    public Task WriteAsync(IReadOnlyList<AuditRecord> records) => writer.TryWriteAsync(records);
}
