using Azure;
using TokenFunctions.Engine.Dynatrace;
using TokenFunctions.Engine.Dynatrace.Targets;
using TokenFunctions.Engine.Tokens;

namespace TokenFunctions.Engine.Rotation;

public sealed partial class CredentialRotator
{
    public async Task<RetirementResult> RetireDueAsync(string secretName, string correlationId, string source, CancellationToken cancellationToken)
    {
        var lease = await CredentialLease.TryAcquireAsync(_store, _timeProvider, _options.LeaseDuration, secretName, cancellationToken).ConfigureAwait(false);
        if (lease is null)
        {
            return RetirementResult.BusyFor(secretName);
        }

        return await HoldingAsync(
            lease,
            e => new RetirementResult(secretName, 0, 0, 1),
            () => RetireDueInLeaseAsync(new Run(lease, secretName, correlationId, source), cancellationToken)).ConfigureAwait(false);
    }

    public async Task<bool> ExpediteRetirementAsync(string secretName, TokenId tokenId, string correlationId, string source, CancellationToken cancellationToken)
    {
        var lease = await CredentialLease.TryAcquireAsync(_store, _timeProvider, _options.LeaseDuration, secretName, cancellationToken).ConfigureAwait(false);
        if (lease is null)
        {
            // The holder may be retiring it right now; either way the kill has disabled it already.
            return (await _store.GetAsync(secretName, cancellationToken).ConfigureAwait(false))?.Retiring.Any(r => r.TokenId == tokenId) == true;
        }

        var run = new Run(lease, secretName, correlationId, source);
        return await HoldingAsync(lease, _ => false, async () =>
        {
            if (lease.State.Retiring.FirstOrDefault(r => r.TokenId == tokenId) is not { } entry)
            {
                return false;
            }

            // Only the leak path calls this, after the kill disabled the token: the entry records that instead of
            // disabling it again (one PUT per leak), and the retirement deletes it after the grace period.
            var now = _timeProvider.GetUtcNow();
            if (entry.DisabledAt is null)
            {
                var expedited = entry with { DisableAfter = now, DisabledAt = now, DeleteAfter = now + _options.DeleteGracePeriod };
                if (!await lease.SaveAsync(s => s with { Retiring = [.. s.Retiring.Select(r => r.TokenId == tokenId ? expedited : r)] }, cancellationToken).ConfigureAwait(false))
                {
                    return true;
                }

                await RecordAsync(run, "retire-expedite", "OverlapEnded", tokenId, entry.Target,
                    $"the replaced token leaked during its overlap window and the kill disabled it; deleted after {expedited.DeleteAfter:O}", cancellationToken).ConfigureAwait(false);
            }

            await RetireDueInLeaseAsync(run, cancellationToken).ConfigureAwait(false);
            return true;
        }).ConfigureAwait(false);
    }

    public async Task<bool> TrackRetiringAsync(string secretName, RetiringToken token, string correlationId, string source, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(token);
        var lease = await CredentialLease.TryAcquireAsync(_store, _timeProvider, _options.LeaseDuration, secretName, cancellationToken).ConfigureAwait(false);
        if (lease is null)
        {
            return false;
        }

        return await HoldingAsync(lease, _ => false, async () =>
        {
            if (lease.State.Retiring.Any(r => r.TokenId == token.TokenId) || lease.State.Active?.NewTokenId == token.TokenId)
            {
                return true;
            }

            if (!await lease.SaveAsync(s => s with { Retiring = [.. s.Retiring, token] }, cancellationToken).ConfigureAwait(false))
            {
                return false;
            }

            await RecordAsync(new Run(lease, secretName, correlationId, source), "retire-track", "Tracked", token.TokenId, token.Target,
                $"Key Vault holds it in an older version but no retirement was scheduled; disabled after {token.DisableAfter:O}", cancellationToken).ConfigureAwait(false);
            return true;
        }).ConfigureAwait(false);
    }

    /// <summary>One pass over the credential's replaced tokens: disable those past their overlap, delete those past grace.</summary>
    private async Task<RetirementResult> RetireDueInLeaseAsync(Run run, CancellationToken cancellationToken)
    {
        int disabled = 0, deleted = 0, failed = 0;
        foreach (var entry in run.Lease.State.Retiring.ToList())
        {
            var step = await RetireOneAsync(run, entry, cancellationToken).ConfigureAwait(false);
            if (step == RetireStep.LeaseLost)
            {
                break;
            }

            disabled += step == RetireStep.Disabled ? 1 : 0;
            deleted += step == RetireStep.Deleted ? 1 : 0;
            failed += step == RetireStep.Failed ? 1 : 0;
        }

        return new RetirementResult(run.SecretName, disabled, deleted, failed);
    }

    /// <summary>Disables <paramref name="entry"/> once its overlap is over, deletes it once its grace is over, else leaves it.</summary>
    private async Task<RetireStep> RetireOneAsync(Run run, RetiringToken entry, CancellationToken cancellationToken)
    {
        var now = _timeProvider.GetUtcNow();
        var disableDue = entry.DisabledAt is null && entry.DisableAfter <= now;
        var deleteDue = entry.DisabledAt is not null && entry.DeleteAfter <= now;
        if (!disableDue && !deleteDue)
        {
            return RetireStep.NotDue;
        }

        var resolution = _targets.Resolve(entry.Target, entry.Kind, run.SecretName);
        if (resolution.Target is not { } target)
        {
            await RecordAsync(run, "retire", "Refused", entry.TokenId, entry.Target, resolution.Refusal, cancellationToken).ConfigureAwait(false);
            return RetireStep.Failed;
        }

        return disableDue
            ? await DisableRetiringAsync(run, target, entry, now, cancellationToken).ConfigureAwait(false)
            : await DeleteRetiringAsync(run, target, entry, cancellationToken).ConfigureAwait(false);
    }

    private async Task<RetireStep> DisableRetiringAsync(Run run, ITokenTarget target, RetiringToken entry, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var result = await target.DisableAsync(entry.Address, cancellationToken).ConfigureAwait(false);
        if (!result.IsOk && result.Status != DynatraceStatus.NotFound)
        {
            await RecordAsync(run, "retire-disable", result.Status.ToString(), entry.TokenId, entry.Target, result.Error?.ToString(), cancellationToken).ConfigureAwait(false);
            return RetireStep.Failed;
        }

        await CheckpointAsync(RotationCheckpoint.AfterDisable, run, cancellationToken).ConfigureAwait(false);
        var gone = result.Status == DynatraceStatus.NotFound;
        var updated = entry with { DisabledAt = now, DeleteAfter = now + _options.DeleteGracePeriod };
        if (!await run.Lease.SaveAsync(s => s with { Retiring = Replace(s.Retiring, entry.TokenId, gone ? null : updated) }, cancellationToken).ConfigureAwait(false))
        {
            return RetireStep.LeaseLost;
        }

        await RecordAsync(run, "retire-disable", gone ? "NotFound" : "Disabled", entry.TokenId, entry.Target,
            gone ? "already gone from Dynatrace" : $"overlap ended; deleted after {now + _options.DeleteGracePeriod:O}", cancellationToken).ConfigureAwait(false);
        return RetireStep.Disabled;
    }

    private async Task<RetireStep> DeleteRetiringAsync(Run run, ITokenTarget target, RetiringToken entry, CancellationToken cancellationToken)
    {
        var removed = await target.DeleteAsync(entry.Address, cancellationToken).ConfigureAwait(false);
        if (!removed.IsOk && removed.Status != DynatraceStatus.NotFound)
        {
            await RecordAsync(run, "retire-delete", removed.Status.ToString(), entry.TokenId, entry.Target, removed.Error?.ToString(), cancellationToken).ConfigureAwait(false);
            return RetireStep.Failed;
        }

        await CheckpointAsync(RotationCheckpoint.AfterDelete, run, cancellationToken).ConfigureAwait(false);
        if (!await run.Lease.SaveAsync(s => s with { Retiring = Replace(s.Retiring, entry.TokenId, null) }, cancellationToken).ConfigureAwait(false))
        {
            return RetireStep.LeaseLost;
        }

        await RecordAsync(run, "retire-delete", "Deleted", entry.TokenId, entry.Target, "grace period over", cancellationToken).ConfigureAwait(false);
        return RetireStep.Deleted;
    }

    private static List<RetiringToken> Replace(IReadOnlyList<RetiringToken> list, TokenId id, RetiringToken? replacement) =>
        [.. list.Select(r => r.TokenId == id ? replacement : r).OfType<RetiringToken>()];

    private enum RetireStep
    {
        NotDue,
        Disabled,
        Deleted,
        Failed,
        LeaseLost,
    }
}
