using System.Collections.Concurrent;
using TokenFunctions.Engine.Tokens;

namespace TokenFunctions.Engine.Incidents.Ledger;

/// <summary>The ledger in process memory: unit tests and local runs (lost on restart).</summary>
public sealed class InMemoryIncidentLedger : IIncidentLedger
{
    private readonly ConcurrentDictionary<(string IncidentId, string Action), ConcurrentDictionary<TokenId, LedgerEntry>> _entries = new();

    public Task<IReadOnlyList<LedgerEntry>> GetFinishedAsync(string incidentId, string action, CancellationToken cancellationToken)
    {
        IReadOnlyList<LedgerEntry> result = _entries.TryGetValue((incidentId, action), out var tokens) ? [.. tokens.Values] : [];
        return Task.FromResult(result);
    }

    public Task RecordAsync(string incidentId, string action, IReadOnlyList<LedgerEntry> entries, CancellationToken cancellationToken)
    {
        var tokens = _entries.GetOrAdd((incidentId, action), _ => new());
        foreach (var entry in entries)
        {
            tokens[entry.TokenId] = entry;
        }

        return Task.CompletedTask;
    }
}
