using TokenFunctions.Engine.Audit;

namespace TokenFunctions.Engine.Kill;

/// <summary>Collects one batch's records and hands them to the trail every <see cref="KillAudit.FlushEvery"/> records.</summary>
internal sealed class KillAuditBuffer(KillAudit trail)
{
    private readonly Lock _lock = new();
    private List<AuditRecord> _pending = [];

    public Task AddAsync(AuditRecord record)
    {
        List<AuditRecord>? full = null;
        lock (_lock)
        {
            _pending.Add(record);
            if (_pending.Count >= KillAudit.FlushEvery)
            {
                full = _pending;
                _pending = [];
            }
        }

        return full is null ? Task.CompletedTask : trail.WriteAsync(full);
    }

    public Task FlushAsync()
    {
        List<AuditRecord> rest;
        lock (_lock)
        {
            rest = _pending;
            _pending = [];
        }

        return trail.WriteAsync(rest);
    }
}
