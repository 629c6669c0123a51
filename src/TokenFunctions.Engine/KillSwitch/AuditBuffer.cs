using TokenFunctions.Engine.Audit;

namespace TokenFunctions.Engine.KillSwitch;

/// <summary>Collects one batch's records and hands them to the trail every <see cref="AuditTrail.FlushEvery"/> records.</summary>
internal sealed class AuditBuffer(AuditTrail trail)
{
    private readonly Lock _lock = new();
    private List<AuditRecord> _pending = [];

    public Task AddAsync(AuditRecord record)
    {
        List<AuditRecord>? full = null;
        lock (_lock)
        {
            _pending.Add(record);
            if (_pending.Count >= AuditTrail.FlushEvery)
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
