using Azure;
using Azure.Security.KeyVault.Secrets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TokenFunctions.Engine.Dynatrace;
using TokenFunctions.Engine.Dynatrace.Targets;
using TokenFunctions.Engine.KeyVault;
using TokenFunctions.Engine.Tokens;

namespace TokenFunctions.Engine.Rotation.Jobs;

/// <summary>
/// The reconciliation timer (<c>Rotation:ReconciliationSchedule</c>), Vault's write-ahead-log rollback idea applied to
/// Dynatrace: finish every rotation a crash interrupted, adopt newly enrolled secrets, and find orphans (tokens named
/// by this deployment's rotations that no Key Vault version holds, whose secret therefore nobody has) and kill them.
/// </summary>
public sealed partial class ReconciliationJob(
    SecretClient vault,
    IManagedCredentialCatalog catalog,
    IRotationStateStore store,
    IRotationService rotation,
    TokenTargets targets,
    RotationAudit audit,
    IRotationCheckpoints checkpoints,
    IOptions<RotationOptions> options,
    TimeProvider timeProvider,
    ILogger<ReconciliationJob> logger)
{
    public const string Source = "reconciliation-timer";

    private readonly RotationOptions _options = (options ?? throw new ArgumentNullException(nameof(options))).Value;

    public async Task<ReconciliationReport> RunAsync(CancellationToken cancellationToken)
    {
        var (runId, startedAt, correlationId) = JobRun.Start(Source, timeProvider);
        var errors = new List<string>();
        var resumed = new List<RotationResult>();
        var adoptions = new List<AdoptionItem>();
        var orphans = new List<OrphanItem>();
        IReadOnlyList<CredentialProblem> problems = [];
        try
        {
            // 1. Interrupted rotations first: resuming them kills their own leftovers, so step 3 sees only true orphans.
            foreach (var row in await store.ListAsync(cancellationToken).ConfigureAwait(false))
            {
                if (row.Active is not null && !row.IsLeasedAt(timeProvider.GetUtcNow()))
                {
                    var result = await rotation.ResumeAsync(row.SecretName, correlationId, Source, cancellationToken).ConfigureAwait(false);
                    if (result is not null)
                    {
                        resumed.Add(result);
                    }
                }
            }

            // 2. Adoption of newly enrolled secrets.
            var snapshot = await catalog.GetSnapshotAsync(refresh: true, cancellationToken).ConfigureAwait(false);
            problems = snapshot.Problems;
            foreach (var unadopted in snapshot.Unadopted)
            {
                adoptions.Add(await AdoptAsync(unadopted, correlationId, cancellationToken).ConfigureAwait(false));
            }

            if (adoptions.Any(a => a.Outcome == AdoptionOutcome.Adopted))
            {
                catalog.Invalidate();
            }

            // 3. Orphans.
            orphans.AddRange(await FindAndKillOrphansAsync(correlationId, errors, cancellationToken).ConfigureAwait(false));
        }
        catch (RequestFailedException e)
        {
            errors.Add($"Key Vault or storage unavailable (HTTP {e.Status})");
            LogRunFailed(e.Status, Redaction.Redact(e.Message));
        }

        audit.Metric("reconcile-run", errors.Count == 0 ? "Completed" : "Failed");
        LogRun(resumed.Count, adoptions.Count(a => a.Outcome == AdoptionOutcome.Adopted), orphans.Count(o => o.Action == OrphanAction.Killed), errors.Count);
        return new ReconciliationReport(runId, startedAt, resumed, adoptions, orphans, problems, errors);
    }

    /// <summary>Reads the value once, checks it against the tags and Dynatrace, and writes tf-token-id and tf-fingerprint.</summary>
    private async Task<AdoptionItem> AdoptAsync(TagReadResult unadopted, string correlationId, CancellationToken cancellationToken)
    {
        var name = unadopted.SecretName;
        KeyVaultSecret secret;
        try
        {
            secret = (await vault.GetSecretAsync(name, null, cancellationToken).ConfigureAwait(false)).Value;
        }
        catch (RequestFailedException e)
        {
            return new AdoptionItem(name, AdoptionOutcome.Retry, Detail: $"Key Vault read failed (HTTP {e.Status})");
        }

        var read = ManagedCredentialTagReader.Read(secret.Properties);
        if (read.Status != TagReadStatus.Unadopted || read.Policy is not { } policy)
        {
            return new AdoptionItem(name, AdoptionOutcome.Retry, Detail: "the tags changed while adopting");
        }

        if (!TokenSecret.TryParse(secret.Value, out var value))
        {
            return await RejectAsync(name, null, "the value is not a Dynatrace token (expected dt0c01.… or dt0s16.…, nothing around it)", correlationId, cancellationToken).ConfigureAwait(false);
        }

        if (value.Kind != policy.Kind)
        {
            return await RejectAsync(name, value.Id, $"the value is a {value.Kind} but '{ManagedCredentialTags.Kind}' says {CredentialPolicy.KindTag(policy.Kind)}", correlationId, cancellationToken).ConfigureAwait(false);
        }

        if (targets.Resolve(policy.Target, policy.Kind, name).Target is { } target)
        {
            var facts = await target.GetAsync(value.Id, cancellationToken).ConfigureAwait(false);
            if (facts.Status == DynatraceStatus.NotFound)
            {
                return await RejectAsync(name, value.Id, $"'{policy.Target}' does not know token {value.Id}: check '{ManagedCredentialTags.Target}'", correlationId, cancellationToken).ConfigureAwait(false);
            }

            if (!facts.IsOk)
            {
                return new AdoptionItem(name, AdoptionOutcome.Retry, value.Id, $"Dynatrace check failed: {facts.Status}");
            }
        }

        secret.Properties.Tags[ManagedCredentialTags.TokenId] = value.Id.Value;
        secret.Properties.Tags[ManagedCredentialTags.Fingerprint] = value.Fingerprint;
        try
        {
            await vault.UpdateSecretPropertiesAsync(secret.Properties, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException e)
        {
            return new AdoptionItem(name, AdoptionOutcome.Retry, value.Id, $"Key Vault tag update failed (HTTP {e.Status})");
        }

        await RecordAsync("adopt", "Adopted", name, value.Id, policy.Target, "tf-token-id and tf-fingerprint written from the value", correlationId, cancellationToken, value.Fingerprint).ConfigureAwait(false);
        return new AdoptionItem(name, AdoptionOutcome.Adopted, value.Id);
    }

    private async Task<AdoptionItem> RejectAsync(string name, TokenId? id, string detail, string correlationId, CancellationToken cancellationToken)
    {
        await RecordAsync("adopt", "Rejected", name, id, null, detail, correlationId, cancellationToken).ConfigureAwait(false);
        return new AdoptionItem(name, AdoptionOutcome.Rejected, id, detail);
    }

    private async Task<List<OrphanItem>> FindAndKillOrphansAsync(string correlationId, List<string> errors, CancellationToken cancellationToken)
    {
        // List Dynatrace first, then read state and Key Vault: a token seen here was created before the reads below, and
        // every rotation records its write-ahead row before creating, so an in-flight token is always recognised.
        var candidates = await ListCandidatesAsync(errors, cancellationToken).ConfigureAwait(false);
        if (candidates.Count == 0)
        {
            return [];
        }

        var rows = (await store.ListAsync(cancellationToken).ConfigureAwait(false)).ToDictionary(r => r.SecretName, StringComparer.OrdinalIgnoreCase);
        var snapshot = await catalog.GetSnapshotAsync(refresh: true, cancellationToken).ConfigureAwait(false);
        var search = new OrphanSearch(rows, snapshot);
        var items = new List<OrphanItem>();
        foreach (var candidate in candidates)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (await JudgeCandidateAsync(candidate, search, correlationId, cancellationToken).ConfigureAwait(false) is { } item)
            {
                items.Add(item);
            }
        }

        return items;
    }

    /// <summary>Every listed token named by one of this deployment's rotations; an incomplete listing is an error of the run.</summary>
    private async Task<List<OrphanCandidate>> ListCandidatesAsync(List<string> errors, CancellationToken cancellationToken)
    {
        var candidates = new List<OrphanCandidate>();
        foreach (var target in targets.All)
        {
            var listed = await target.ListAsync(target.Kind == TokenKind.PlatformToken ? RotationNames.SearchTerm(_options.InstanceName) : null, cancellationToken).ConfigureAwait(false);
            if (!listed.Complete)
            {
                // The tokens it did see are still judged: an orphan is one whatever the rest of the list holds.
                errors.Add($"{target.Name}: the token listing stopped after {listed.Tokens.Count} ({listed.Status} {listed.Error})");
            }

            foreach (var token in listed.Tokens)
            {
                if (RotationNames.TryParse(token.Name, out var parts) && parts.Instance == _options.InstanceName)
                {
                    candidates.Add(new OrphanCandidate(target, token, parts));
                }
            }
        }

        return candidates;
    }

    /// <summary>
    /// Null when the token is in use (current, in flight or retiring); otherwise what was done with it: tracked for
    /// retirement when a Key Vault version holds it, killed when none does, failed when that cannot be told.
    /// </summary>
    private async Task<OrphanItem?> JudgeCandidateAsync(OrphanCandidate candidate, OrphanSearch search, string correlationId, CancellationToken cancellationToken)
    {
        var (target, token, parts) = candidate;
        var row = search.Rows.GetValueOrDefault(parts.SecretName);
        if (row?.Active?.RotationId == parts.RotationId || IsInUse(token.Id, row, search.Snapshot))
        {
            return null; // in flight, on the retirement schedule, or current: not an orphan
        }

        if (!search.Held.TryGetValue(parts.SecretName, out var versions))
        {
            versions = await HeldTokenIdsAsync(parts.SecretName, cancellationToken).ConfigureAwait(false);
            search.Held[parts.SecretName] = versions;
        }

        if (versions is null)
        {
            return new OrphanItem(target.Name, token.Id, parts.SecretName, parts.RotationId, OrphanAction.Failed, "cannot list the secret's versions");
        }

        var heldBy = versions.Contains(token.Id.Value);
        if (!heldBy && token.Id.IsServerForm)
        {
            // The account names this token with an id of its own and its dt0s16 id is not known here: Key Vault's ids
            // are compared after mapping them to the account's ids. No mapping, no kill: it could be a live credential.
            var known = new[] { row?.Active?.NewTokenId, search.Snapshot.Credentials.FirstOrDefault(c => string.Equals(c.SecretName, parts.SecretName, StringComparison.OrdinalIgnoreCase))?.TokenId }
                .OfType<TokenId>().Select(i => i.Value).Concat(versions).Concat(row?.Retiring.Select(r => r.TokenId.Value) ?? []);
            var (holder, unmapped) = await HoldsServerIdAsync(target, token, known, search.Looked, cancellationToken).ConfigureAwait(false);
            if (unmapped is not null)
            {
                return new OrphanItem(target.Name, token.Id, parts.SecretName, parts.RotationId, OrphanAction.Failed,
                    $"cannot tell whether a Key Vault version holds it: {unmapped} cannot be addressed in {target.Name} (id form unknown)");
            }

            if (holder is { } id)
            {
                if (IsInUse(id, row, search.Snapshot))
                {
                    return null; // current, in flight or retiring under its dt0s16 id
                }

                heldBy = true;
            }
        }

        return heldBy
            ? await TrackAsync(target, token, parts, search.Snapshot, correlationId, cancellationToken).ConfigureAwait(false)
            : await KillAsync(target, token, parts, correlationId, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Whether <paramref name="id"/> is the credential's current token, its rotation's new one, or retiring.</summary>
    private static bool IsInUse(TokenId id, CredentialState? row, ManagedCredentialSnapshot snapshot) =>
        row?.Active?.NewTokenId == id || row?.Retiring.Any(r => r.TokenId == id) == true || snapshot.Credentials.Any(c => c.TokenId == id);

    /// <summary>
    /// Which of <paramref name="known"/> (<c>dt0s16</c> ids this app holds) is <paramref name="token"/>, listed under the
    /// account's own id: each is looked up (a search, once per run) until one maps to it.
    /// <c>Unmapped</c> names an id that could not be looked up, so "held by none" is not proven.
    /// </summary>
    private static async Task<(TokenId? Held, string? Unmapped)> HoldsServerIdAsync(
        ITokenTarget target, TokenFacts token, IEnumerable<string> known, Dictionary<(string Target, string Id), DynatraceResult<TokenFacts>> looked, CancellationToken cancellationToken)
    {
        string? unmapped = null;
        foreach (var text in known.Distinct(StringComparer.Ordinal))
        {
            if (!TokenId.TryParse(text, out var id) || id.Kind != TokenKind.PlatformToken)
            {
                continue;
            }

            if (!looked.TryGetValue((target.Name, id.Value), out var facts))
            {
                facts = await target.GetAsync(id, cancellationToken).ConfigureAwait(false);
                looked[(target.Name, id.Value)] = facts;
            }

            if (facts.IsOk && (facts.Value!.ServerId ?? facts.Value.Id.Value) == token.Id.Value)
            {
                return (id, null);
            }

            if (!facts.IsOk && facts.Status != DynatraceStatus.NotFound)
            {
                unmapped ??= id.Value;
            }
        }

        return (null, unmapped);
    }

    /// <summary>Token ids in any version of the secret (an orphan is one whose secret no version holds); null when unreadable.</summary>
    private async Task<HashSet<string>?> HeldTokenIdsAsync(string secretName, CancellationToken cancellationToken)
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        try
        {
            await foreach (var version in vault.GetPropertiesOfSecretVersionsAsync(secretName, cancellationToken).ConfigureAwait(false))
            {
                if (version.Tags.TryGetValue(ManagedCredentialTags.TokenId, out var id))
                {
                    ids.Add(id);
                }
            }
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            // The secret itself is gone: nothing holds the token.
        }
        catch (RequestFailedException)
        {
            return null;
        }

        return ids;
    }

    private async Task<OrphanItem> TrackAsync(
        ITokenTarget target, TokenFacts token, TokenNameParts parts, ManagedCredentialSnapshot snapshot, string correlationId, CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        var overlap = snapshot.Get(parts.SecretName)?.Policy.Overlap ?? TimeSpan.Zero;
        var retiring = new RetiringToken
        {
            TokenId = token.Id,
            ServerId = token.ServerId,
            Target = target.Name,
            RotationId = parts.RotationId,
            DisableAfter = token.Enabled == false ? now : now + overlap,
            DeleteAfter = (token.Enabled == false ? now : now + overlap) + _options.DeleteGracePeriod,
            DisabledAt = token.Enabled == false ? now : null,
        };
        var tracked = await rotation.TrackRetiringAsync(parts.SecretName, retiring, correlationId, Source, cancellationToken).ConfigureAwait(false);
        return new OrphanItem(target.Name, token.Id, parts.SecretName, parts.RotationId, tracked ? OrphanAction.Tracked : OrphanAction.Failed,
            tracked ? "an older Key Vault version holds it; retirement scheduled" : "the credential is busy; retried next run");
    }

    private async Task<OrphanItem> KillAsync(ITokenTarget target, TokenFacts token, TokenNameParts parts, string correlationId, CancellationToken cancellationToken)
    {
        // Delete at once, without the usual week of grace: the grace exists so a disabled token can be re-enabled, and
        // nobody can use an orphan again because nobody has its secret.
        if (token.Enabled != false)
        {
            var disabled = await target.DisableAsync(token.Address, cancellationToken).ConfigureAwait(false);
            if (!disabled.IsOk && disabled.Status != DynatraceStatus.NotFound)
            {
                await RecordAsync("orphan-disable", disabled.Status.ToString(), parts.SecretName, token.Id, target.Name, disabled.Error?.ToString(), correlationId, cancellationToken).ConfigureAwait(false);
                return new OrphanItem(target.Name, token.Id, parts.SecretName, parts.RotationId, OrphanAction.Failed, $"disable failed: {disabled.Status}");
            }

            await checkpoints.ReachedAsync(RotationCheckpoint.AfterDisable, parts.SecretName, cancellationToken).ConfigureAwait(false);
            await RecordAsync("orphan-disable", "Disabled", parts.SecretName, token.Id, target.Name, $"created by rotation {parts.RotationId}; no Key Vault version holds its secret", correlationId, cancellationToken).ConfigureAwait(false);
        }

        var deleted = await target.DeleteAsync(token.Address, cancellationToken).ConfigureAwait(false);
        if (!deleted.IsOk && deleted.Status != DynatraceStatus.NotFound)
        {
            await RecordAsync("orphan-delete", deleted.Status.ToString(), parts.SecretName, token.Id, target.Name, deleted.Error?.ToString(), correlationId, cancellationToken).ConfigureAwait(false);
            return new OrphanItem(target.Name, token.Id, parts.SecretName, parts.RotationId, OrphanAction.Disabled, $"delete failed: {deleted.Status}");
        }

        await checkpoints.ReachedAsync(RotationCheckpoint.AfterDelete, parts.SecretName, cancellationToken).ConfigureAwait(false);
        await RecordAsync("orphan-delete", "Deleted", parts.SecretName, token.Id, target.Name, $"created by rotation {parts.RotationId}", correlationId, cancellationToken).ConfigureAwait(false);
        return new OrphanItem(target.Name, token.Id, parts.SecretName, parts.RotationId, OrphanAction.Killed);
    }

    private Task RecordAsync(
        string action, string outcome, string secretName, TokenId? tokenId, string? target, string? detail, string correlationId, CancellationToken cancellationToken,
        string? fingerprint = null) =>
        audit.RecordAsync(
            new RotationAuditEntry
            {
                Source = Source,
                CorrelationId = correlationId,
                Action = action,
                Outcome = outcome,
                SecretName = secretName,
                TokenId = tokenId,
                Fingerprint = fingerprint,
                Target = target,
                Detail = detail,
            },
            cancellationToken);

    private sealed record OrphanCandidate(ITokenTarget Target, TokenFacts Token, TokenNameParts Parts);

    /// <summary>What every orphan candidate of one run is judged against, and the look-ups the run has made so far.</summary>
    private sealed class OrphanSearch(Dictionary<string, CredentialState> rows, ManagedCredentialSnapshot snapshot)
    {
        public Dictionary<string, CredentialState> Rows { get; } = rows;

        public ManagedCredentialSnapshot Snapshot { get; } = snapshot;

        /// <summary>Token ids in any version of each secret (null: unreadable), read once per secret.</summary>
        public Dictionary<string, HashSet<string>?> Held { get; } = new(StringComparer.OrdinalIgnoreCase);

        public Dictionary<(string Target, string Id), DynatraceResult<TokenFacts>> Looked { get; } = [];
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Reconciliation run: {Resumed} rotations resumed, {Adopted} secrets adopted, {Killed} orphans killed, {Errors} errors")]
    private partial void LogRun(int resumed, int adopted, int killed, int errors);

    [LoggerMessage(Level = LogLevel.Error, Message = "Reconciliation run stopped (HTTP {Status}): {Message}")]
    private partial void LogRunFailed(int status, string? message);
}
