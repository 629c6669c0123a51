using System.Collections.Concurrent;
using TokenFunctions.Engine.Audit;

namespace TokenFunctions.Engine.IntegrationTests.Kill;

internal sealed class AuditCapture : IAuditSink
{
    private readonly ConcurrentQueue<AuditRecord> _records = new();

    public IReadOnlyList<AuditRecord> Records => [.. _records];

    public Task WriteAsync(IReadOnlyList<AuditRecord> records, CancellationToken cancellationToken)
    {
        foreach (var r in records)
        {
            _records.Enqueue(r);
        }

        return Task.CompletedTask;
    }
}
