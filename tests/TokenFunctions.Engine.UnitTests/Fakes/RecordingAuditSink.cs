using TokenFunctions.Engine.Audit;

namespace TokenFunctions.Engine.UnitTests.Fakes;

/// <summary>
/// The one <see cref="IAuditSink"/> fake: records every record written and counts writes. A failure is scripted either as
/// an exception the write throws (<see cref="Failure"/>, for the first <see cref="FailFirst"/> writes only when set: a flaky
/// store) or as a faulted task it returns (<see cref="Fault"/>); <see cref="Hang"/> makes every write wait until its
/// cancellation token fires; <see cref="Before"/> is awaited before recording (e.g. a task the test completes to release
/// the write). <see cref="Started"/> and <see cref="FirstRecorded"/> let a test wait for a write without sleeping.
/// </summary>
public sealed class RecordingAuditSink : IAuditSink
{
    private readonly List<AuditRecord> _records = [];
    private readonly Lock _gate = new();
    private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<IReadOnlyList<AuditRecord>> _firstRecorded = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _writes;

    /// <summary>When set, every write (or the first <see cref="FailFirst"/>) throws this (e.g. Table Storage unavailable). Writes still count.</summary>
    public Exception? Failure { get; set; }

    /// <summary>How many writes (from the first) <see cref="Failure"/> applies to; all of them unless set. Later writes succeed.</summary>
    public int FailFirst { get; set; } = int.MaxValue;

    /// <summary>When true, every write waits until its cancellation token is cancelled and records nothing.</summary>
    public bool Hang { get; set; }

    /// <summary>
    /// When set, called on every write not failed by then; the write awaits the task it returns before recording.
    /// Throwing from it fails the write at once, as <see cref="Failure"/> does.
    /// </summary>
    public Func<CancellationToken, Task>? Before { get; set; }

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

    /// <summary>Completes when the first write starts.</summary>
    public Task Started => _started.Task;

    /// <summary>Completes with the first batch recorded.</summary>
    public Task<IReadOnlyList<AuditRecord>> FirstRecorded => _firstRecorded.Task;

    public Task WriteAsync(IReadOnlyList<AuditRecord> records, CancellationToken cancellationToken)
    {
        var write = Interlocked.Increment(ref _writes);
        _started.TrySetResult();
        if (Failure is { } failure && write <= FailFirst)
        {
            throw failure;
        }

        if (Hang)
        {
            return Task.Delay(Timeout.Infinite, cancellationToken);
        }

        if (Fault?.Invoke() is { } error)
        {
            return Task.FromException(error);
        }

        if (Before?.Invoke(cancellationToken) is { } before)
        {
            return RecordAfterAsync(before, records);
        }

        Record(records);
        return Task.CompletedTask;
    }

    private async Task RecordAfterAsync(Task before, IReadOnlyList<AuditRecord> records)
    {
        await before.ConfigureAwait(false);
        Record(records);
    }

    private void Record(IReadOnlyList<AuditRecord> records)
    {
        lock (_gate)
        {
            _records.AddRange(records);
        }

        _firstRecorded.TrySetResult([.. records]);
    }

    /// <summary>Every text an audit record carries, for "no secret anywhere" checks.</summary>
    public IEnumerable<string> AllText() => Records.SelectMany(r => new[]
    {
        r.Source, r.CorrelationId, r.Action, r.Outcome, r.TokenId?.Value, r.Fingerprint, r.Owner, r.RequestedBy, r.Detail,
        r.BlastRadius?.TokenOwner, r.BlastRadius?.Name, string.Join(",", r.BlastRadius?.Scopes ?? []),
    }).OfType<string>();
}
