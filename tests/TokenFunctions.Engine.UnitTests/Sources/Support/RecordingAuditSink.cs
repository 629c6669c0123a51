using TokenFunctions.Engine.Audit;

namespace TokenFunctions.Engine.Tests.Sources.Support;

public sealed class RecordingAuditSink : IAuditSink
{
    private readonly List<AuditRecord> _records = [];
    private readonly Lock _gate = new();

    public bool Fail { get; set; }

    public IReadOnlyList<AuditRecord> Records
    {
        get
        {
            lock (_gate)
            {
                return [.. _records];
            }
        }
    }

    public Task WriteAsync(IReadOnlyList<AuditRecord> records, CancellationToken cancellationToken)
    {
        if (Fail)
        {
            throw new InvalidOperationException("audit store down");
        }

        lock (_gate)
        {
            _records.AddRange(records);
        }

        return Task.CompletedTask;
    }
}
