using TokenFunctions.Engine.Incidents;
using TokenFunctions.Engine.Incidents.Ledger;

namespace TokenFunctions.Engine.UnitTests.Fakes;

/// <summary>
/// The one <see cref="IIncidentProgressStore"/> fake: the in-memory store, unless <see cref="Failure"/> makes every call
/// throw (storage unreachable) or <see cref="BeforeSave"/> throws for a save (e.g. a crash right before a completion).
/// </summary>
public sealed class FakeIncidentProgressStore : IIncidentProgressStore
{
    private readonly InMemoryIncidentProgressStore _inner = new();

    /// <summary>When set, every read and save throws this.</summary>
    public Exception? Failure { get; set; }

    /// <summary>Called before every save; an exception it throws fails that save, which then stores nothing.</summary>
    public Action<IncidentProgress>? BeforeSave { get; set; }

    public Task<IncidentProgress?> GetAsync(string incidentId, string workId, CancellationToken cancellationToken)
    {
        if (Failure is { } failure)
        {
            throw failure;
        }

        return _inner.GetAsync(incidentId, workId, cancellationToken);
    }

    public Task<IncidentProgress?> TrySaveAsync(IncidentProgress progress, CancellationToken cancellationToken)
    {
        if (Failure is { } failure)
        {
            throw failure;
        }

        BeforeSave?.Invoke(progress);
        return _inner.TrySaveAsync(progress, cancellationToken);
    }
}
