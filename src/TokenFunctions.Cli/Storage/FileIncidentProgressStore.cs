using System.Text.Json;
using TokenFunctions.Engine.Incidents;
using TokenFunctions.Engine.Incidents.Ledger;

namespace TokenFunctions.Cli.Storage;

/// <summary>
/// Incident progress as one JSON file per work item, with the Table store's optimistic concurrency (a version that
/// must match), so an interrupted <c>kill-switch</c> resumes from its last checkpoint in the next run.
/// </summary>
internal sealed class FileIncidentProgressStore(string directory) : IIncidentProgressStore
{
    public async Task<IncidentProgress?> GetAsync(string incidentId, string workId, CancellationToken cancellationToken) =>
        await ReadAsync(PathOf(incidentId, workId), cancellationToken).ConfigureAwait(false);

    public async Task<IncidentProgress?> TrySaveAsync(IncidentProgress progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(progress);
        var path = PathOf(progress.IncidentId, progress.WorkId);
        using var held = await FileLock.AcquireAsync(path + ".lock", cancellationToken).ConfigureAwait(false);
        var current = await ReadAsync(path, cancellationToken).ConfigureAwait(false);
        if (progress.Version is null ? current is not null : current?.Version != progress.Version)
        {
            return null;
        }

        var saved = progress with { Version = Guid.NewGuid().ToString("N") };
        await FileLock.WriteAtomicallyAsync(path, JsonSerializer.SerializeToUtf8Bytes(saved, StoreJsonContext.Default.IncidentProgress), cancellationToken).ConfigureAwait(false);
        return saved;
    }

    private string PathOf(string incidentId, string workId) => Path.Combine(directory, StoreKeys.FileName(incidentId, workId) + ".json");

    private static async Task<IncidentProgress?> ReadAsync(string path, CancellationToken cancellationToken)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        var bytes = await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);
        return JsonSerializer.Deserialize(bytes, StoreJsonContext.Default.IncidentProgress);
    }
}
