using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using TokenFunctions.Engine.Storage;

namespace TokenFunctions.Engine.Rotation;

/// <summary>
/// Rotation state in Azure Table Storage: one row per managed credential (partition <c>credential</c>, row key = the Key
/// Vault secret name in lower case, which Key Vault already limits to letters, digits and '-'). Single flight is optimistic
/// concurrency on the row's ETag rather than a blob lease: the lock and the write-ahead record are the same row, so
/// "take the credential" and "record the step" are one conditional write and can never disagree, a stale holder finds
/// out on its next write (412) instead of acting on a lock it lost, and there is no 60-second blob-lease renewal loop to
/// keep alive across slow Dynatrace calls.
/// </summary>
public sealed class TableRotationStateStore : IRotationStateStore
{
    public const string Partition = "credential";

    private readonly TableClient _table;
    private readonly TimeProvider _timeProvider;
    private readonly TableCreationGate _creation = new();

    public TableRotationStateStore(TableClient table, TimeProvider timeProvider)
    {
        _table = table;
        _timeProvider = timeProvider;
    }

    public async Task<CredentialState?> GetAsync(string secretName, CancellationToken cancellationToken)
    {
        await EnsureTableAsync(cancellationToken).ConfigureAwait(false);
        var row = await _table.GetEntityIfExistsAsync<TableEntity>(Partition, Key(secretName), cancellationToken: cancellationToken).ConfigureAwait(false);
        return row.HasValue && row.Value is { } entity ? FromEntity(entity) : null;
    }

    public async Task<IReadOnlyList<CredentialState>> ListAsync(CancellationToken cancellationToken)
    {
        await EnsureTableAsync(cancellationToken).ConfigureAwait(false);
        var rows = new List<CredentialState>();
        await foreach (var entity in _table.QueryAsync<TableEntity>(e => e.PartitionKey == Partition, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            rows.Add(FromEntity(entity));
        }

        return rows;
    }

    public async Task<CredentialState?> TryAcquireAsync(string secretName, string holder, DateTimeOffset leaseUntil, CancellationToken cancellationToken)
    {
        await EnsureTableAsync(cancellationToken).ConfigureAwait(false);
        var existing = await GetAsync(secretName, cancellationToken).ConfigureAwait(false);
        if (existing is null)
        {
            var fresh = new CredentialState { SecretName = secretName, LeaseHolder = holder, LeaseUntil = leaseUntil };
            try
            {
                var added = await _table.AddEntityAsync(ToEntity(fresh), cancellationToken).ConfigureAwait(false);
                return fresh with { ETag = added.Headers.ETag?.ToString() };
            }
            catch (RequestFailedException e) when (e.Status == 409)
            {
                return null; // another caller created it first and so holds it
            }
        }

        if (existing.IsLeasedAt(_timeProvider.GetUtcNow()) && existing.LeaseHolder != holder)
        {
            return null;
        }

        return await SaveAsync(existing with { LeaseHolder = holder, LeaseUntil = leaseUntil }, cancellationToken).ConfigureAwait(false);
    }

    public async Task<CredentialState?> SaveAsync(CredentialState state, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (state.ETag is null)
        {
            return null;
        }

        await EnsureTableAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var updated = await _table.UpdateEntityAsync(ToEntity(state), new ETag(state.ETag), TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
            return state with { ETag = updated.Headers.ETag?.ToString() };
        }
        catch (RequestFailedException e) when (e.Status is 412 or 404)
        {
            return null;
        }
    }

    private static string Key(string secretName)
    {
        ArgumentException.ThrowIfNullOrEmpty(secretName);
        if (secretName.Length > 127 || !secretName.All(c => char.IsAsciiLetterOrDigit(c) || c == '-'))
        {
            throw new ArgumentException("Key Vault secret names are 1-127 letters, digits and '-'.", nameof(secretName));
        }

        // Key Vault names are case-insensitive: one credential, one row, whatever case a caller used.
        return secretName.ToLowerInvariant();
    }

    private static TableEntity ToEntity(CredentialState state)
    {
        var entity = new TableEntity(Partition, Key(state.SecretName))
        {
            ["SecretName"] = state.SecretName,
            ["LeaseHolder"] = state.LeaseHolder,
            ["LeaseUntil"] = state.LeaseUntil,
            ["Retiring"] = JsonSerializer.Serialize(state.Retiring.ToList(), RotationStateJsonContext.Default.ListRetiringToken),
            ["LastRotationId"] = state.LastRotationId,
            ["LastOutcome"] = state.LastOutcome,
            ["LastFinishedAt"] = state.LastFinishedAt,
            ["ConsecutiveFailures"] = state.ConsecutiveFailures,
            ["LastError"] = state.LastError,
        };

        if (state.Active is { } active)
        {
            entity["Active"] = JsonSerializer.Serialize(active, RotationStateJsonContext.Default.RotationRecord);

            // Duplicated as plain columns so a human in Storage Explorer sees what is in flight without reading JSON.
            entity["RotationId"] = active.RotationId;
            entity["Step"] = active.Step.ToString();
        }

        return entity;
    }

    private static CredentialState FromEntity(TableEntity entity)
    {
        var active = entity.GetString("Active") is { Length: > 0 } json
            ? JsonSerializer.Deserialize(json, RotationStateJsonContext.Default.RotationRecord)
            : null;
        var retiring = entity.GetString("Retiring") is { Length: > 0 } list
            ? JsonSerializer.Deserialize(list, RotationStateJsonContext.Default.ListRetiringToken) ?? []
            : [];
        return new CredentialState
        {
            SecretName = entity.GetString("SecretName") ?? entity.RowKey,
            ETag = entity.ETag.ToString(),
            LeaseHolder = entity.GetString("LeaseHolder"),
            LeaseUntil = entity.GetDateTimeOffset("LeaseUntil"),
            Active = active,
            Retiring = retiring,
            LastRotationId = entity.GetString("LastRotationId"),
            LastOutcome = entity.GetString("LastOutcome"),
            LastFinishedAt = entity.GetDateTimeOffset("LastFinishedAt"),
            ConsecutiveFailures = entity.GetInt32("ConsecutiveFailures") ?? 0,
            LastError = entity.GetString("LastError"),
        };
    }

    private Task EnsureTableAsync(CancellationToken cancellationToken) => _creation.EnsureCreatedAsync(_table, cancellationToken);
}
