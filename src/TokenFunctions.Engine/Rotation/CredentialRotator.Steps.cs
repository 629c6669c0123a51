using Azure;
using Azure.Security.KeyVault.Secrets;
using Microsoft.Extensions.Logging;
using TokenFunctions.Engine.Audit;
using TokenFunctions.Engine.Dynatrace;
using TokenFunctions.Engine.Dynatrace.Targets;
using TokenFunctions.Engine.KeyVault;
using TokenFunctions.Engine.Primitives;
using TokenFunctions.Engine.Tokens;

namespace TokenFunctions.Engine.Rotation;

public sealed partial class CredentialRotator
{
    /// <summary>Creating: adopt what a crash stored, or kill what it lost, then create and store at once.</summary>
    private async Task<RotationResult?> CreateAndStoreAsync(Run run, RotationRecord rotation, ITokenTarget target, CancellationToken cancellationToken)
    {
        CurrentVersion? current;
        try
        {
            current = await ReadCurrentAsync(run.SecretName, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException e)
        {
            return Pending(run.SecretName, rotation, $"Key Vault read failed (HTTP {e.Status})");
        }

        var credential = current?.Read.Credential;
        if (credential is not null && credential.RotationId == rotation.RotationId && credential.TokenId != rotation.OldTokenId)
        {
            // The Key Vault write of an earlier attempt landed before the crash: keep that token.
            return await AdoptStoredAsync(run, rotation, current!, cancellationToken).ConfigureAwait(false);
        }

        if (credential is null || credential.TokenId != rotation.OldTokenId)
        {
            return await AbandonAsync(run, rotation, target, null,
                "the secret no longer holds the token this rotation replaces (changed or deleted during the rotation)", cancellationToken).ConfigureAwait(false);
        }

        if (rotation.CreateAttempts > 0 && !await KillLeftoversAsync(run, rotation, target, keep: null, cancellationToken).ConfigureAwait(false))
        {
            return Pending(run.SecretName, rotation, "a token from an interrupted attempt could not be killed yet");
        }

        rotation = rotation with { CreateAttempts = rotation.CreateAttempts + 1 };
        if (!await run.Lease.SaveAsync(s => s with { Active = rotation }, cancellationToken).ConfigureAwait(false))
        {
            return LeaseLost(run.SecretName, rotation.RotationId);
        }

        await CheckpointAsync(RotationCheckpoint.AfterWriteAhead, run, cancellationToken).ConfigureAwait(false);
        var (token, stop) = await CreateReplacementAsync(run, rotation, target, cancellationToken).ConfigureAwait(false);
        return token is null ? stop : await StoreReplacementAsync(run, rotation, target, credential, token, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Creates the replacement in Dynatrace. When it cannot, the result that postpones or ends the rotation instead.</summary>
    private async Task<(CreatedToken? Token, RotationResult? Stop)> CreateReplacementAsync(
        Run run, RotationRecord rotation, ITokenTarget target, CancellationToken cancellationToken)
    {
        var name = RotationNames.TokenName(run.SecretName, _options.InstanceName, rotation.RotationId);
        var created = await target.CreateAsync(name, rotation.Template(), cancellationToken).ConfigureAwait(false);
        if (!created.IsOk)
        {
            await RecordAsync(run, "rotate-create", created.Status.ToString(), rotation.OldTokenId, rotation.Target, created.Error?.ToString(), cancellationToken).ConfigureAwait(false);

            // A timeout may still have created it: the row says an attempt was made, so the resume looks for it first.
            var stop = created.Status == DynatraceStatus.Transient
                ? Pending(run.SecretName, rotation, $"Dynatrace did not create the token: {created.Error}")
                : created.Error?.ClassicCreationDisabled == true
                    ? await EndFailedAsync(run, rotation, nameof(RotationOutcome.CreationDisabled), ClassicCreation.Advice(run.SecretName, rotation.Target), RotationOutcome.CreationDisabled, cancellationToken).ConfigureAwait(false)
                        ?? LeaseLost(run.SecretName, rotation.RotationId)
                    : await FailAsync(run, rotation, "CreateFailed", $"Dynatrace refused to create the replacement: {created.Status} {created.Error}", cancellationToken).ConfigureAwait(false);
            return (null, stop);
        }

        var token = created.Value!;
        run.NewSecret = token.Secret;
        await RecordAsync(run, "rotate-create", "Created", token.Id, rotation.Target,
            $"replacement for {rotation.OldTokenId}, expires {token.ExpirationDate ?? rotation.NewExpiresAt:O}", cancellationToken, token.Secret.Fingerprint).ConfigureAwait(false);
        await CheckpointAsync(RotationCheckpoint.AfterCreate, run, cancellationToken).ConfigureAwait(false);
        return (token, null);
    }

    /// <summary>Writes the replacement to Key Vault at once as a pending version, then records <see cref="RotationStep.Stored"/>.</summary>
    private async Task<RotationResult?> StoreReplacementAsync(
        Run run, RotationRecord rotation, ITokenTarget target, ManagedCredential credential, CreatedToken token, CancellationToken cancellationToken)
    {
        var secret = PendingVersion(run.SecretName, rotation, credential, token);
        KeyVaultSecret stored;
        try
        {
            stored = (await _vault.SetSecretAsync(secret, cancellationToken).ConfigureAwait(false)).Value;
        }
        catch (RequestFailedException e)
        {
            return await HandleStoreFailureAsync(run, rotation, target, token, e, cancellationToken).ConfigureAwait(false);
        }

        await CheckpointAsync(RotationCheckpoint.AfterKeyVaultWrite, run, cancellationToken).ConfigureAwait(false);
        rotation = rotation with
        {
            Step = RotationStep.Stored,
            NewTokenId = token.Id,
            NewTokenServerId = token.ServerId,
            NewVersion = stored.Properties.Version,
            NewSecretId = stored.Id?.ToString(),
        };
        if (!await run.Lease.SaveAsync(s => s with { Active = rotation }, cancellationToken).ConfigureAwait(false))
        {
            return LeaseLost(run.SecretName, rotation.RotationId);
        }

        await RecordAsync(run, "rotate-store", "Stored", token.Id, rotation.Target, $"Key Vault version {stored.Properties.Version} (pending)", cancellationToken).ConfigureAwait(false);
        await CheckpointAsync(RotationCheckpoint.AfterStoredSaved, run, cancellationToken).ConfigureAwait(false);
        return null;
    }

    /// <summary>The new Key Vault version: the replacement's secret, tagged pending with the replaced token as its predecessor.</summary>
    private static KeyVaultSecret PendingVersion(string secretName, RotationRecord rotation, ManagedCredential credential, CreatedToken token)
    {
        var pending = credential with
        {
            TokenId = token.Id,
            Fingerprint = token.Secret.Fingerprint,
            Stage = CredentialStage.Pending,
            RotationId = rotation.RotationId,
            PreviousTokenId = rotation.OldTokenId,
            PreviousFingerprint = rotation.OldFingerprint,
            TokenOwner = null,
        };
        var secret = new KeyVaultSecret(secretName, token.Secret.Reveal());
        secret.Properties.ContentType = ManagedCredentialTags.ContentType;
        secret.Properties.ExpiresOn = token.ExpirationDate ?? rotation.NewExpiresAt;
        foreach (var (tag, value) in ManagedCredentialTagWriter.ToTags(pending))
        {
            secret.Properties.Tags[tag] = value;
        }

        return secret;
    }

    private async Task<RotationResult?> AdoptStoredAsync(Run run, RotationRecord rotation, CurrentVersion current, CancellationToken cancellationToken)
    {
        var credential = current.Read.Credential!;
        if (current.Value is { } value && value.Id == credential.TokenId)
        {
            run.NewSecret = value;
        }

        rotation = rotation with
        {
            Step = RotationStep.Stored,
            NewTokenId = credential.TokenId,
            NewVersion = current.Secret.Properties.Version,
            NewSecretId = current.Secret.Id?.ToString(),
        };
        if (!await run.Lease.SaveAsync(s => s with { Active = rotation }, cancellationToken).ConfigureAwait(false))
        {
            return LeaseLost(run.SecretName, rotation.RotationId);
        }

        await RecordAsync(run, "rotate-store", "Adopted", credential.TokenId, rotation.Target,
            "Key Vault already held this rotation's token (the run that stored it stopped before recording it)", cancellationToken).ConfigureAwait(false);
        return null;
    }

    /// <summary>
    /// The Key Vault write failed. A 4xx means it did not land: kill the created token now. Otherwise look: adopt it if it
    /// landed, kill the token if it did not, and leave the decision to the next run if Key Vault cannot even be read.
    /// </summary>
    private async Task<RotationResult?> HandleStoreFailureAsync(
        Run run, RotationRecord rotation, ITokenTarget target, CreatedToken token, RequestFailedException error, CancellationToken cancellationToken)
    {
        var definitelyNotStored = error.Status is >= 400 and < 500 and not 408 and not 409 and not 429;
        if (!definitelyNotStored)
        {
            try
            {
                var current = await ReadCurrentAsync(run.SecretName, cancellationToken).ConfigureAwait(false);
                if (current?.Read.Credential is { } c && c.RotationId == rotation.RotationId && c.TokenId == token.Id)
                {
                    return await AdoptStoredAsync(run, rotation, current, cancellationToken).ConfigureAwait(false);
                }
            }
            catch (RequestFailedException)
            {
                return Pending(run.SecretName, rotation, $"the Key Vault write failed (HTTP {error.Status}) and Key Vault cannot be read to see whether it landed");
            }
        }

        var reason = $"Key Vault refused the new version (HTTP {error.Status} {error.ErrorCode}); the created token {token.Id} is disabled and deleted";
        await RecordAsync(run, "rotate-store", "Failed", token.Id, rotation.Target, reason, cancellationToken).ConfigureAwait(false);
        return await AbandonAsync(run, rotation, target, TokenAddress.Of(token.Id, token.ServerId), reason, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Stored: prove the new token works before anything relies on it being the only one.</summary>
    private async Task<RotationResult?> VerifyAsync(Run run, RotationRecord rotation, ITokenTarget target, CancellationToken cancellationToken)
    {
        var secret = run.NewSecret;
        if (secret is null || secret.Id != rotation.NewTokenId)
        {
            try
            {
                var version = await _vault.GetSecretAsync(run.SecretName, rotation.NewVersion, cancellationToken).ConfigureAwait(false);
                TokenSecret.TryParse(version.Value.Value, out secret);
            }
            catch (RequestFailedException e)
            {
                return Pending(run.SecretName, rotation, $"Key Vault read of the new version failed (HTTP {e.Status})");
            }
        }

        var verified = secret is not null && secret.Id == rotation.NewTokenId
            ? await target.VerifyAsync(secret, rotation.Template(), cancellationToken).ConfigureAwait(false)
            : DynatraceResult<TokenFacts>.Fail(DynatraceStatus.BadRequest, new DynatraceError(0, "the stored version does not hold the created token"));
        return verified.IsOk
            ? await MarkVerifiedAsync(run, rotation, verified.Value!, cancellationToken).ConfigureAwait(false)
            : await VerifyFailedAsync(run, rotation, verified, cancellationToken).ConfigureAwait(false);
    }

    private async Task<RotationResult?> MarkVerifiedAsync(Run run, RotationRecord rotation, TokenFacts verified, CancellationToken cancellationToken)
    {
        var owner = rotation.Kind == TokenKind.ClassicApiToken ? verified.Owner : null;
        await CheckpointAsync(RotationCheckpoint.AfterVerify, run, cancellationToken).ConfigureAwait(false);
        rotation = rotation with { Step = RotationStep.Verified, NewTokenOwner = owner };
        if (!await run.Lease.SaveAsync(s => s with { Active = rotation }, cancellationToken).ConfigureAwait(false))
        {
            return LeaseLost(run.SecretName, rotation.RotationId);
        }

        var detail = owner is null
            ? "the new token is listed ACTIVE with the old token's scopes"
            : $"the new token authenticates; Dynatrace made it owned by '{owner}' (the owner of the credential that created it)";
        await RecordAsync(run, "rotate-verify", "Verified", rotation.NewTokenId, rotation.Target, detail, cancellationToken,
            blastRadius: new BlastRadius(owner, rotation.Scopes, null, null)).ConfigureAwait(false);
        await CheckpointAsync(RotationCheckpoint.AfterVerifiedSaved, run, cancellationToken).ConfigureAwait(false);
        return null;
    }

    /// <summary>A transient failure is retried by a later run up to MaxVerifyAttempts; anything else rolls the rotation back.</summary>
    private async Task<RotationResult?> VerifyFailedAsync(Run run, RotationRecord rotation, DynatraceResult<TokenFacts> verified, CancellationToken cancellationToken)
    {
        var attempts = rotation.VerifyAttempts + 1;
        var why = $"verification failed ({verified.Status} {verified.Error})";
        if (verified.Status == DynatraceStatus.Transient && attempts < _options.MaxVerifyAttempts)
        {
            rotation = rotation with { VerifyAttempts = attempts };
            if (!await run.Lease.SaveAsync(s => s with { Active = rotation }, cancellationToken).ConfigureAwait(false))
            {
                return LeaseLost(run.SecretName, rotation.RotationId);
            }

            await RecordAsync(run, "rotate-verify", "Retry", rotation.NewTokenId, rotation.Target, $"{why}; attempt {attempts} of {_options.MaxVerifyAttempts}", cancellationToken).ConfigureAwait(false);
            return Pending(run.SecretName, rotation, why);
        }

        rotation = rotation with { Step = RotationStep.RollingBack, VerifyAttempts = attempts, Reason = Redaction.Redact(why) };
        if (!await run.Lease.SaveAsync(s => s with { Active = rotation }, cancellationToken).ConfigureAwait(false))
        {
            return LeaseLost(run.SecretName, rotation.RotationId);
        }

        await RecordAsync(run, "rotate-verify", "Failed", rotation.NewTokenId, rotation.Target, why, cancellationToken).ConfigureAwait(false);
        return null;
    }

    /// <summary>Verified: tag the version current, schedule the old token's retirement, tell whoever caches the secret.</summary>
    private async Task<RotationResult?> FinishAsync(Run run, RotationRecord rotation, ITokenTarget target, CancellationToken cancellationToken)
    {
        if (await PromoteAsync(run, rotation, cancellationToken).ConfigureAwait(false) is { } notPromoted)
        {
            return notPromoted;
        }

        await CheckpointAsync(RotationCheckpoint.AfterPromote, run, cancellationToken).ConfigureAwait(false);
        var now = _timeProvider.GetUtcNow();
        var retiring = RetiringOldToken(rotation, now);
        var saved = await run.Lease.SaveAsync(
            s => s with
            {
                Active = null,
                Retiring = s.Retiring.Any(r => r.TokenId == retiring.TokenId) || retiring.TokenId == rotation.NewTokenId
                    ? s.Retiring
                    : [.. s.Retiring, retiring],
                LastRotationId = rotation.RotationId,
                LastOutcome = nameof(RotationOutcome.Rotated),
                LastFinishedAt = now,
                ConsecutiveFailures = 0,
                LastError = null,
            },
            cancellationToken).ConfigureAwait(false);
        if (!saved)
        {
            return LeaseLost(run.SecretName, rotation.RotationId);
        }

        await RecordAsync(run, "rotate-finish", nameof(RotationOutcome.Rotated), rotation.NewTokenId, rotation.Target,
            $"replaced {rotation.OldTokenId}; it is {Disabling(rotation)} and deleted {Duration.FormatTag(_options.DeleteGracePeriod)} later",
            cancellationToken).ConfigureAwait(false);
        await NotifyChangedSafelyAsync(run.SecretName, cancellationToken).ConfigureAwait(false);
        if (!rotation.OldTokenGetsOverlap)
        {
            await RetireDueInLeaseAsync(run, cancellationToken).ConfigureAwait(false);
        }

        return new RotationResult(run.SecretName, RotationOutcome.Rotated)
        {
            RotationId = rotation.RotationId,
            OldTokenId = rotation.OldTokenId,
            NewTokenId = rotation.NewTokenId,
            SecretId = rotation.NewSecretId,
            Detail = $"{rotation.Trigger} rotation complete",
        };
    }

    /// <summary>Tags the new version current (with its owner). Pending when Key Vault cannot, or its tags were changed by hand.</summary>
    private async Task<RotationResult?> PromoteAsync(Run run, RotationRecord rotation, CancellationToken cancellationToken)
    {
        try
        {
            var version = (await _vault.GetSecretAsync(run.SecretName, rotation.NewVersion, cancellationToken).ConfigureAwait(false)).Value;
            var read = ManagedCredentialTagReader.Read(version.Properties);
            if (read.Credential is not { } stored || stored.RotationId != rotation.RotationId || stored.TokenId != rotation.NewTokenId)
            {
                return Pending(run.SecretName, rotation, $"the tags of Key Vault version {rotation.NewVersion} were changed by hand; fix them ({string.Join("; ", read.Errors)})");
            }

            var promoted = stored with { Stage = CredentialStage.Current, TokenOwner = rotation.NewTokenOwner ?? stored.TokenOwner };
            if (promoted != stored)
            {
                var properties = version.Properties;
                properties.Tags.Clear();
                foreach (var (tag, value) in ManagedCredentialTagWriter.ToTags(promoted))
                {
                    properties.Tags[tag] = value;
                }

                await _vault.UpdateSecretPropertiesAsync(properties, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (RequestFailedException e)
        {
            return Pending(run.SecretName, rotation, $"Key Vault could not mark the new version current (HTTP {e.Status})");
        }

        return null;
    }

    /// <summary>The replaced token's retirement: disabled after the overlap (at once without one), deleted after the grace period.</summary>
    private RetiringToken RetiringOldToken(RotationRecord rotation, DateTimeOffset now)
    {
        var disableAfter = rotation.OldTokenGetsOverlap ? now + rotation.Overlap : now;
        return new RetiringToken
        {
            TokenId = rotation.OldTokenId,
            ServerId = rotation.OldTokenServerId,
            Target = rotation.Target,
            RotationId = rotation.RotationId,
            DisableAfter = disableAfter,
            DeleteAfter = disableAfter + _options.DeleteGracePeriod,

            // The caller's word that the kill disabled the old token (LeakRotation says so only after a Disabled or
            // AlreadyDisabled outcome) is part of this write-ahead record, so it survives any restart between the
            // kill-switch and here without another store. Without it a leak rotation disables the old token itself: it is
            // due now (no overlap) and FinishAsync's RetireDueInLeaseAsync disables it before FinishAsync returns.
            DisabledAt = rotation.Trigger == RotationTrigger.Leak && rotation.OldTokenAlreadyDisabled ? now : null,
        };
    }

    private static string Disabling(RotationRecord rotation) => rotation.Trigger switch
    {
        RotationTrigger.Leak when rotation.OldTokenAlreadyDisabled => "already disabled by the kill",
        RotationTrigger.Leak => "disabled now (leaked)",
        _ when rotation.OldTokenGetsOverlap => $"disabled after the {Duration.FormatTag(rotation.Overlap)} overlap",
        _ => "disabled now",
    };

    /// <summary>RollingBack: put the old value back while the old token still works, then kill the new token.</summary>
    private async Task<RotationResult?> RollBackAsync(Run run, RotationRecord rotation, ITokenTarget target, CancellationToken cancellationToken)
    {
        if (rotation.OldTokenGetsOverlap && rotation.OldVersion is { } oldVersion)
        {
            try
            {
                var current = await ReadCurrentAsync(run.SecretName, cancellationToken).ConfigureAwait(false);
                if (current?.Read.Credential?.RotationId == rotation.RotationId || current?.Read.Credential?.TokenId == rotation.NewTokenId)
                {
                    var old = (await _vault.GetSecretAsync(run.SecretName, oldVersion, cancellationToken).ConfigureAwait(false)).Value;
                    var restored = new KeyVaultSecret(run.SecretName, old.Value);
                    restored.Properties.ContentType = old.Properties.ContentType;
                    restored.Properties.ExpiresOn = old.Properties.ExpiresOn;
                    foreach (var (tag, value) in old.Properties.Tags)
                    {
                        restored.Properties.Tags[tag] = value;
                    }

                    restored.Properties.Tags[ManagedCredentialTags.Stage] = "current";
                    await _vault.SetSecretAsync(restored, cancellationToken).ConfigureAwait(false);
                    await CheckpointAsync(RotationCheckpoint.AfterRestore, run, cancellationToken).ConfigureAwait(false);
                    await RecordAsync(run, "rotate-rollback", "Restored", rotation.OldTokenId, rotation.Target,
                        $"the previous value is the newest Key Vault version again ({rotation.Reason})", cancellationToken).ConfigureAwait(false);
                }
            }
            catch (RequestFailedException e)
            {
                return Pending(run.SecretName, rotation, $"Key Vault could not restore the previous value (HTTP {e.Status})");
            }
        }

        if (rotation.NewTokenId is { } newToken
            && await KillAsync(run, target, TokenAddress.Of(newToken, rotation.NewTokenServerId), "rotate-rollback", cancellationToken).ConfigureAwait(false) == RemovalResult.Failed)
        {
            return Pending(run.SecretName, rotation, $"the unverified token {newToken} could not be disabled yet");
        }

        var result = await EndFailedAsync(run, rotation, nameof(RotationOutcome.RolledBack), rotation.Reason ?? "verification failed", RotationOutcome.RolledBack, cancellationToken).ConfigureAwait(false);
        await NotifyChangedSafelyAsync(run.SecretName, cancellationToken).ConfigureAwait(false);
        return result;
    }

    /// <summary>Abandoning: kill the attempt's token(s), then close the attempt as failed.</summary>
    private async Task<RotationResult?> AbandonAsync(
        Run run, RotationRecord rotation, ITokenTarget target, TokenId? knownToken, string reason, CancellationToken cancellationToken)
    {
        if (rotation.Step != RotationStep.Abandoning)
        {
            rotation = rotation with { Step = RotationStep.Abandoning, Reason = Redaction.Redact(reason) };
            if (!await run.Lease.SaveAsync(s => s with { Active = rotation }, cancellationToken).ConfigureAwait(false))
            {
                return LeaseLost(run.SecretName, rotation.RotationId);
            }
        }

        var killed = knownToken is { } id
            ? await KillAsync(run, target, id, "rotate-compensate", cancellationToken).ConfigureAwait(false) != RemovalResult.Failed
            : await KillLeftoversAsync(run, rotation, target, keep: null, cancellationToken).ConfigureAwait(false);
        if (!killed)
        {
            return Pending(run.SecretName, rotation, $"{reason}; the created token could not be disabled yet, the next run retries");
        }

        return await EndFailedAsync(run, rotation, "Abandoned", rotation.Reason ?? reason, RotationOutcome.Failed, cancellationToken).ConfigureAwait(false);
    }

    private Task<RotationResult?> AbandonResumeAsync(Run run, RotationRecord rotation, ITokenTarget target, CancellationToken cancellationToken) =>
        AbandonAsync(run, rotation, target, null, rotation.Reason ?? "abandoned", cancellationToken);

    private async Task<RotationResult> FailAsync(Run run, RotationRecord rotation, string outcome, string reason, CancellationToken cancellationToken) =>
        await EndFailedAsync(run, rotation, outcome, reason, RotationOutcome.Failed, cancellationToken).ConfigureAwait(false) ?? LeaseLost(run.SecretName, rotation.RotationId);

    private async Task<RotationResult?> EndFailedAsync(
        Run run, RotationRecord rotation, string outcome, string reason, RotationOutcome result, CancellationToken cancellationToken)
    {
        var redacted = Redaction.Redact(reason);
        var saved = await run.Lease.SaveAsync(
            s => s with
            {
                Active = null,
                LastRotationId = rotation.RotationId,
                LastOutcome = outcome,
                LastFinishedAt = _timeProvider.GetUtcNow(),
                ConsecutiveFailures = s.ConsecutiveFailures + 1,
                LastError = redacted,
            },
            cancellationToken).ConfigureAwait(false);
        if (!saved)
        {
            return LeaseLost(run.SecretName, rotation.RotationId);
        }

        await RecordAsync(run, "rotate-finish", outcome, rotation.OldTokenId, rotation.Target, redacted, cancellationToken).ConfigureAwait(false);
        return new RotationResult(run.SecretName, result)
        {
            RotationId = rotation.RotationId,
            OldTokenId = rotation.OldTokenId,
            NewTokenId = rotation.NewTokenId,
            Detail = redacted,
        };
    }

    /// <summary>Kills every token named with this rotation id except <paramref name="keep"/>. False when one survives.</summary>
    private async Task<bool> KillLeftoversAsync(Run run, RotationRecord rotation, ITokenTarget target, TokenId? keep, CancellationToken cancellationToken)
    {
        var listed = await target.ListAsync(rotation.RotationId, cancellationToken).ConfigureAwait(false);

        // What an incomplete listing saw is killed all the same; the unseen rest keeps the rotation pending.
        var allKilled = listed.Complete;
        foreach (var token in listed.Tokens)
        {
            if (token.Id == keep
                || !RotationNames.TryParse(token.Name, out var parts)
                || parts.Instance != _options.InstanceName
                || parts.RotationId != rotation.RotationId)
            {
                continue;
            }

            if (await KillAsync(run, target, token.Address, "rotate-leftover", cancellationToken).ConfigureAwait(false) == RemovalResult.Failed)
            {
                allKilled = false;
            }
        }

        return allKilled;
    }

    /// <summary>Disable, then delete, a token nobody may use. Disabled is enough to be safe; deleting is tidiness.</summary>
    private async Task<RemovalResult> KillAsync(Run run, ITokenTarget target, TokenId id, string action, CancellationToken cancellationToken)
    {
        var disabled = await target.DisableAsync(id, cancellationToken).ConfigureAwait(false);
        if (!disabled.IsOk && disabled.Status != DynatraceStatus.NotFound)
        {
            await RecordAsync(run, action, "DisableFailed", id, target.Name, $"{disabled.Status} {disabled.Error}", cancellationToken).ConfigureAwait(false);
            return RemovalResult.Failed;
        }

        await CheckpointAsync(RotationCheckpoint.AfterDisable, run, cancellationToken).ConfigureAwait(false);
        var deleted = disabled.Status == DynatraceStatus.NotFound
            ? disabled
            : await target.DeleteAsync(id, cancellationToken).ConfigureAwait(false);
        if (!deleted.IsOk && deleted.Status != DynatraceStatus.NotFound)
        {
            await RecordAsync(run, action, "DisabledNotDeleted", id, target.Name, $"{deleted.Status} {deleted.Error}", cancellationToken).ConfigureAwait(false);
            return RemovalResult.DisabledOnly;
        }

        await CheckpointAsync(RotationCheckpoint.AfterDelete, run, cancellationToken).ConfigureAwait(false);
        await RecordAsync(run, action, "Deleted", id, target.Name, "disabled and deleted", cancellationToken).ConfigureAwait(false);
        return RemovalResult.Gone;
    }

    private async Task<CurrentVersion?> ReadCurrentAsync(string secretName, CancellationToken cancellationToken)
    {
        KeyVaultSecret secret;
        try
        {
            // The three-argument overload: the four-argument one (with outContentType) is a different virtual.
            secret = (await _vault.GetSecretAsync(secretName, null, cancellationToken).ConfigureAwait(false)).Value;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }

        var read = ManagedCredentialTagReader.Read(secret.Properties);
        TokenSecret.TryParse(secret.Value, out var value);
        return new CurrentVersion(secret, read, value);
    }

    private async Task NotifyChangedSafelyAsync(string secretName, CancellationToken cancellationToken)
    {
        try
        {
            await NotifyChangedAsync(secretName, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The rotation is complete and recorded; a listener that throws only delays when its cache sees the new value.
            LogListenerFailed(secretName, e.GetType().Name, Redaction.Redact(e.Message));
        }
    }

    private sealed record CurrentVersion(KeyVaultSecret Secret, TagReadResult Read, TokenSecret? Value);

    private enum RemovalResult
    {
        Gone,
        DisabledOnly,
        Failed,
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A secret-rotation listener failed for {SecretName} ({ExceptionType}): {Message}")]
    private partial void LogListenerFailed(string secretName, string exceptionType, string? message);
}
