using TokenFunctions.Engine.Audit;

namespace TokenFunctions.Engine.UnitTests.Rotation.Support;

public sealed class CapturingAuditSink : IAuditSink
{
    private readonly List<AuditRecord> _records = [];
    private readonly Lock _gate = new();

    public Func<Exception?>? Fail { get; set; }

    public IReadOnlyList<AuditRecord> Records
    {
        get
        {
            lock (_gate)
            {
                return _records.ToList();
            }
        }
    }

    public Task WriteAsync(IReadOnlyList<AuditRecord> records, CancellationToken cancellationToken)
    {
        if (Fail?.Invoke() is { } error)
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
