using TokenFunctions.Engine.Audit;

namespace TokenFunctions.Engine.UnitTests.Fakes;

/// <summary>
/// The one <see cref="IAuditSink"/> fake: records every record written and counts writes. A failure is scripted either as
/// an exception the write throws (<see cref="Failure"/>) or as a faulted task it returns (<see cref="Fault"/>).
/// </summary>
public sealed class RecordingAuditSink : IAuditSink
{
    private readonly List<AuditRecord> _records = [];
    private readonly Lock _gate = new();
    private int _writes;

    /// <summary>When set, every write throws this (e.g. Table Storage unavailable). Writes still count.</summary>
    public Exception? Failure { get; set; }

    /// <summary>Asked on every write; a non-null answer is returned as a faulted task and nothing is recorded.</summary>
    public Func<Exception?>? Fault { get; set; }

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

    /// <summary>How many times <see cref="WriteAsync"/> was called, failed calls included.</summary>
    public int Writes => Volatile.Read(ref _writes);

    public Task WriteAsync(IReadOnlyList<AuditRecord> records, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _writes);
        if (Failure is { } failure)
        {
            throw failure;
        }

        if (Fault?.Invoke() is { } error)
        {
            return Task.FromException(error);
        }

        lock (_gate)
        {
            _records.AddRange(records);
        }

        return Task.CompletedTask;
    }

    /// <summary>Every text an audit record carries, for "no secret anywhere" checks.</summary>
    public IEnumerable<string> AllText() => Records.SelectMany(r => new[]
    {
        r.Source, r.CorrelationId, r.Action, r.Outcome, r.TokenId?.Value, r.Fingerprint, r.Owner, r.RequestedBy, r.Detail,
        r.BlastRadius?.TokenOwner, r.BlastRadius?.Name, string.Join(",", r.BlastRadius?.Scopes ?? []),
    }).OfType<string>();
}
