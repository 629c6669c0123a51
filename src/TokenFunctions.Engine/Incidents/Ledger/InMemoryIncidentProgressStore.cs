using System.Globalization;

namespace TokenFunctions.Engine.Incidents.Ledger;

/// <summary>Progress in process memory with the same optimistic-concurrency contract as the Table store.</summary>
public sealed class InMemoryIncidentProgressStore : IIncidentProgressStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<(string IncidentId, string WorkId), IncidentProgress> _records = [];
    private long _nextVersion;

    public Task<IncidentProgress?> GetAsync(string incidentId, string workId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(_records.GetValueOrDefault((incidentId, workId)));
        }
    }

    public Task<IncidentProgress?> TrySaveAsync(IncidentProgress progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(progress);
        lock (_gate)
        {
            var key = (progress.IncidentId, progress.WorkId);
            var exists = _records.TryGetValue(key, out var current);
            if (progress.Version is null ? exists : !exists || current!.Version != progress.Version)
            {
                return Task.FromResult<IncidentProgress?>(null);
            }

            var saved = progress with { Version = (++_nextVersion).ToString(CultureInfo.InvariantCulture) };
            _records[key] = saved;
            return Task.FromResult<IncidentProgress?>(saved);
        }
    }
}
