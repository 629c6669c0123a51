using System.Text;
using System.Text.Json;
using TokenFunctions.Engine.Incidents;
using TokenFunctions.Engine.Incidents.Ledger;
using TokenFunctions.Engine.Tokens;

namespace TokenFunctions.Cli.Storage;

/// <summary>The incident ledger as one JSON-lines file per incident and action; the last line for a token wins.</summary>
internal sealed class FileIncidentLedger(string directory) : IIncidentLedger
{
    public async Task<IReadOnlyList<LedgerEntry>> GetFinishedAsync(string incidentId, string action, CancellationToken cancellationToken)
    {
        var path = PathOf(incidentId, action);
        if (!File.Exists(path))
        {
            return [];
        }

        var entries = new Dictionary<string, LedgerEntry>(StringComparer.Ordinal);
        foreach (var line in await File.ReadAllLinesAsync(path, cancellationToken).ConfigureAwait(false))
        {
            if (line.Length == 0 || JsonSerializer.Deserialize(line, StoreJsonContext.Default.StoredLedgerEntry) is not { } stored
                || !TokenId.TryParse(stored.TokenId, out var id))
            {
                continue;
            }

            entries[stored.TokenId] = new LedgerEntry(id, stored.Outcome, stored.MessageId, stored.RecordedAt);
        }

        return [.. entries.Values];
    }

    public async Task RecordAsync(string incidentId, string action, IReadOnlyList<LedgerEntry> entries, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entries);
        if (entries.Count == 0)
        {
            return;
        }

        var path = PathOf(incidentId, action);
        var text = new StringBuilder();
        foreach (var entry in entries)
        {
            text.Append(JsonSerializer.Serialize(new StoredLedgerEntry(entry.TokenId.Value, entry.Outcome, entry.MessageId, entry.RecordedAt), StoreJsonContext.Default.StoredLedgerEntry)).Append('\n');
        }

        using var held = await FileLock.AcquireAsync(path + ".lock", cancellationToken).ConfigureAwait(false);
        await File.AppendAllTextAsync(path, text.ToString(), cancellationToken).ConfigureAwait(false);
    }

    private string PathOf(string incidentId, string action) => Path.Combine(directory, StoreKeys.FileName(incidentId, action) + ".jsonl");
}
