using System.Collections.Concurrent;
using TokenFunctions.Engine.Audit;

namespace TokenFunctions.Engine.UnitTests.Kill;

internal sealed class InMemoryAuditSink : IAuditSink
{
    private readonly ConcurrentQueue<AuditRecord> _records = new();
    private int _writes;

    /// <summary>When set, every write throws this (e.g. Table Storage unavailable).</summary>
    public Exception? Failure { get; set; }

    public IReadOnlyList<AuditRecord> Records => [.. _records];

    public int Writes => _writes;

    public Task WriteAsync(IReadOnlyList<AuditRecord> records, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _writes);
        if (Failure is { } failure)
        {
            throw failure;
        }

        foreach (var r in records)
        {
            _records.Enqueue(r);
        }

        return Task.CompletedTask;
    }
}
