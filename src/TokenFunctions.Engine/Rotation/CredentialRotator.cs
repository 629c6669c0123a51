using Azure;
using Azure.Security.KeyVault.Secrets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TokenFunctions.Engine.Audit;
using TokenFunctions.Engine.Dynatrace;
using TokenFunctions.Engine.Dynatrace.Targets;
using TokenFunctions.Engine.KeyVault;
using TokenFunctions.Engine.Tokens;

namespace TokenFunctions.Engine.Rotation;

/// <summary>
/// Rotates one managed credential as a durable state machine keyed by rotation id (see <see cref="RotationStep"/>):
/// <list type="number">
/// <item>write-ahead (<see cref="RotationStep.Creating"/>), then create the replacement in Dynatrace with the old token's
/// scopes and a name carrying the rotation id;</item>
/// <item>write its secret to Key Vault at once as a new version (stage pending) and record <see cref="RotationStep.Stored"/>;
/// if that write fails for good, disable and delete the token just created;</item>
/// <item>verify the new token, record <see cref="RotationStep.Verified"/>;</item>
/// <item>tag the version current, schedule the old token's retirement (disable after the overlap window, or at once after a
/// leak; delete after the grace period) and tell listeners so the app reads the new version.</item>
/// </list>
/// Every step is idempotent and starts by checking what a crash may have left: a token named with the rotation id that
/// Key Vault does not hold is killed, a Key Vault version carrying the rotation id is adopted.
/// </summary>
public sealed partial class CredentialRotator(
    SecretClient vault,
    IManagedCredentialCatalog catalog,
    IRotationStateStore store,
    TokenTargets targets,
    IEnumerable<ISecretRotationListener> listeners,
    RotationAudit audit,
    IRotationCheckpoints checkpoints,
    IOptions<RotationOptions> options,
    TimeProvider timeProvider,
    ILogger<CredentialRotator> logger) : IRotationService
{
    private readonly SecretClient _vault = vault;
    private readonly IManagedCredentialCatalog _catalog = catalog;
    private readonly IRotationStateStore _store = store;
    private readonly TokenTargets _targets = targets;
    private readonly IReadOnlyList<ISecretRotationListener> _listeners = listeners.ToList();
    private readonly RotationAudit _audit = audit;
    private readonly IRotationCheckpoints _checkpoints = checkpoints;
    private readonly RotationOptions _options = (options ?? throw new ArgumentNullException(nameof(options))).Value;
    private readonly TimeProvider _timeProvider = timeProvider;
    private readonly ILogger<CredentialRotator> _logger = logger;

    public async Task<RotationResult> RotateAsync(RotationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var lease = await CredentialLease.TryAcquireAsync(_store, _timeProvider, _options.LeaseDuration, request.SecretName, cancellationToken).ConfigureAwait(false);
        if (lease is null)
        {
            return await BusyAsync(request.SecretName, cancellationToken).ConfigureAwait(false);
        }

        var run = new Run(lease, request.SecretName, request.CorrelationId, request.Source);
        return await HoldingAsync(lease, e => StorageUnavailable(request.SecretName, e), async () =>
        {
            if (lease.State.Active is not null)
            {
                // A crash left a rotation half done: finish it first, then judge this request against the result.
                var resumed = await DriveAsync(run, cancellationToken).ConfigureAwait(false);
                if (resumed.Outcome is RotationOutcome.Pending or RotationOutcome.InProgress)
                {
                    return resumed;
                }
            }

            return await StartAsync(run, request, cancellationToken).ConfigureAwait(false);
        }).ConfigureAwait(false);
    }

    public async Task<RotationResult?> ResumeAsync(string secretName, string correlationId, string source, CancellationToken cancellationToken)
    {
        var existing = await _store.GetAsync(secretName, cancellationToken).ConfigureAwait(false);
        if (existing?.Active is null)
        {
            return null;
        }

        var lease = await CredentialLease.TryAcquireAsync(_store, _timeProvider, _options.LeaseDuration, secretName, cancellationToken).ConfigureAwait(false);
        if (lease is null)
        {
            return await BusyAsync(secretName, cancellationToken).ConfigureAwait(false);
        }

        return await HoldingAsync<RotationResult?>(lease, e => StorageUnavailable(secretName, e), async () => lease.State.Active is null
            ? null
            : await DriveAsync(new Run(lease, secretName, correlationId, source), cancellationToken).ConfigureAwait(false)).ConfigureAwait(false);
    }

    /// <summary>
    /// Runs <paramref name="work"/> under the lease and releases it afterwards. Deliberately not in a finally: an exception
    /// here is a bug or a dying process, and either way the row's recorded step must wait for the lease to expire before
    /// another run resumes it, exactly as after a crash.
    /// </summary>
    private static async Task<T> HoldingAsync<T>(CredentialLease lease, Func<RequestFailedException, T> storageUnavailable, Func<Task<T>> work)
    {
        T result;
        try
        {
            result = await work().ConfigureAwait(false);
        }
        catch (RequestFailedException e)
        {
            // Storage (or an unhandled Key Vault call) failed: an expected outage, not a crash. The step is recorded; let go.
            await lease.ReleaseAsync().ConfigureAwait(false);
            return storageUnavailable(e);
        }

        await lease.ReleaseAsync().ConfigureAwait(false);
        return result;
    }

    private async Task<RotationResult> StartAsync(Run run, RotationRequest request, CancellationToken cancellationToken)
    {
        var current = await ReadCurrentAsync(run.SecretName, cancellationToken).ConfigureAwait(false);
        if (await RefuseUnlessRotatableAsync(run, request, current, cancellationToken).ConfigureAwait(false) is { } refused)
        {
            return refused;
        }

        var credential = current!.Read.Credential!;
        var resolution = _targets.Resolve(credential.Target, credential.Kind, run.SecretName);
        if (resolution.Target is not { } target)
        {
            return await RejectAsync(run, request, RotationOutcome.Refused, credential.TokenId, resolution.Refusal!, cancellationToken).ConfigureAwait(false);
        }

        var (template, unreadable) = await ReadTemplateAsync(run, request, credential, target, cancellationToken).ConfigureAwait(false);
        if (template is null)
        {
            return unreadable!;
        }

        var rotation = NewRotationRecord(request, credential, current.Secret, template);
        if (!await run.Lease.SaveAsync(s => s with { Active = rotation }, cancellationToken).ConfigureAwait(false))
        {
            return LeaseLost(run.SecretName, rotation.RotationId);
        }

        await RecordAsync(run, "rotate-start", "Started", credential.TokenId, credential.Target,
            $"rotation {rotation.RotationId} ({request.Trigger}){(resolution.SelfRotation ? "; management credential, acting with its partner credential" : string.Empty)}",
            cancellationToken, credential.Fingerprint).ConfigureAwait(false);
        return await DriveAsync(run, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Null when the secret holds a managed credential whose value matches its tags and is the token the caller expects;
    /// otherwise the result that says why no rotation starts.
    /// </summary>
    private async Task<RotationResult?> RefuseUnlessRotatableAsync(Run run, RotationRequest request, CurrentVersion? current, CancellationToken cancellationToken)
    {
        if (current is null || current.Read.Status == TagReadStatus.NotManaged)
        {
            return new RotationResult(run.SecretName, RotationOutcome.NotManaged) { Detail = "no managed credential in this secret" };
        }

        if (current.Read.Status != TagReadStatus.Managed)
        {
            var errors = current.Read.Status == TagReadStatus.Unadopted
                ? "the secret is awaiting adoption (tf-token-id and tf-fingerprint are not set yet)"
                : string.Join("; ", current.Read.Errors);
            return await RejectAsync(run, request, RotationOutcome.Invalid, null, errors, cancellationToken).ConfigureAwait(false);
        }

        var credential = current.Read.Credential!;
        if (request.ExpectedTokenId is { } expected && expected != credential.TokenId)
        {
            return new RotationResult(run.SecretName, RotationOutcome.AlreadyRotated)
            {
                OldTokenId = expected,
                NewTokenId = credential.TokenId,
                SecretId = current.Secret.Id.ToString(),
                Detail = $"the current token is {credential.TokenId}, not {expected}",
            };
        }

        if (current.Value is not { } value || value.Id != credential.TokenId || value.Fingerprint != credential.Fingerprint)
        {
            return await RejectAsync(run, request, RotationOutcome.Invalid, credential.TokenId,
                "the secret's value does not match its tf-token-id / tf-fingerprint tags (was the value replaced by hand?)", cancellationToken).ConfigureAwait(false);
        }

        return null;
    }

    /// <summary>The facts the replacement copies (scopes first of all): the current token's, or its predecessor's when it is gone.</summary>
    private async Task<(TokenFacts? Template, RotationResult? Unreadable)> ReadTemplateAsync(
        Run run, RotationRequest request, ManagedCredential credential, ITokenTarget target, CancellationToken cancellationToken)
    {
        var facts = await target.GetAsync(credential.TokenId, cancellationToken).ConfigureAwait(false);
        if (facts.Status == DynatraceStatus.NotFound && credential.PreviousTokenId is { } previous)
        {
            // The current token is gone (e.g. a failed rotation after a leak deleted it): its predecessor, disabled but
            // kept for the grace period, still says which scopes the credential needs.
            facts = await target.GetAsync(previous, cancellationToken).ConfigureAwait(false);
        }

        if (!facts.IsOk)
        {
            var outcome = facts.Status == DynatraceStatus.Transient ? RotationOutcome.Pending : RotationOutcome.Failed;
            return (null, await RejectAsync(run, request, outcome, credential.TokenId,
                $"cannot read the current token's scopes from Dynatrace: {facts.Status} {facts.Error}", cancellationToken).ConfigureAwait(false));
        }

        if (facts.Value!.Scopes.Count == 0)
        {
            return (null, await RejectAsync(run, request, RotationOutcome.Failed, credential.TokenId,
                "Dynatrace reports no scopes for the current token, so a replacement cannot be created with the same ones", cancellationToken).ConfigureAwait(false));
        }

        return (facts.Value, null);
    }

    /// <summary>The write-ahead record of a new rotation (step <see cref="RotationStep.Creating"/>).</summary>
    private RotationRecord NewRotationRecord(RotationRequest request, ManagedCredential credential, KeyVaultSecret current, TokenFacts template)
    {
        var now = _timeProvider.GetUtcNow();
        var lifetime = credential.Policy.Lifetime ?? credential.Policy.RotationPeriod + credential.Policy.Overlap + _options.ExpiryMargin;
        return new RotationRecord
        {
            RotationId = RotationIds.New(_timeProvider),
            Step = RotationStep.Creating,
            Trigger = request.Trigger,
            OldTokenAlreadyDisabled = request.Trigger == RotationTrigger.Leak && request.OldTokenAlreadyDisabled,
            CorrelationId = request.CorrelationId,
            RequestedBy = request.RequestedBy,
            Target = credential.Target,
            OldTokenId = credential.TokenId,
            OldTokenServerId = template.Id == credential.TokenId ? template.ServerId : null,
            OldFingerprint = credential.Fingerprint,
            OldVersion = current.Properties.Version,
            Overlap = credential.Policy.Overlap,
            Scopes = template.Scopes,
            Resources = template.Resources,
            PlatformTags = template.Tags,
            UserUuid = template.UserUuid,
            PersonalAccessToken = template.PersonalAccessToken,
            StartedAt = now,
            NewExpiresAt = now + lifetime,
        };
    }

    /// <summary>Runs the steps of the rotation in flight until it finishes or must wait for a later run.</summary>
    private async Task<RotationResult> DriveAsync(Run run, CancellationToken cancellationToken)
    {
        while (run.Lease.State.Active is { } rotation)
        {
            run.RotationId = rotation.RotationId;
            if (run.Lease.Lost)
            {
                return LeaseLost(run.SecretName, rotation.RotationId);
            }

            var resolution = _targets.Resolve(rotation.Target, rotation.Kind, run.SecretName);
            if (resolution.Target is not { } target)
            {
                return Pending(run.SecretName, rotation, resolution.Refusal!);
            }

            var stop = rotation.Step switch
            {
                RotationStep.Creating => await CreateAndStoreAsync(run, rotation, target, cancellationToken).ConfigureAwait(false),
                RotationStep.Stored => await VerifyAsync(run, rotation, target, cancellationToken).ConfigureAwait(false),
                RotationStep.Verified => await FinishAsync(run, rotation, target, cancellationToken).ConfigureAwait(false),
                RotationStep.RollingBack => await RollBackAsync(run, rotation, target, cancellationToken).ConfigureAwait(false),
                RotationStep.Abandoning => await AbandonResumeAsync(run, rotation, target, cancellationToken).ConfigureAwait(false),
                _ => throw new InvalidOperationException($"Unknown rotation step {rotation.Step}."),
            };

            if (stop is not null)
            {
                return stop;
            }
        }

        return new RotationResult(run.SecretName, RotationOutcome.Pending) { Detail = "no rotation in flight" };
    }

    private async Task<RotationResult> BusyAsync(string secretName, CancellationToken cancellationToken)
    {
        var row = await _store.GetAsync(secretName, cancellationToken).ConfigureAwait(false);
        return new RotationResult(secretName, RotationOutcome.InProgress)
        {
            RotationId = row?.Active?.RotationId,
            OldTokenId = row?.Active?.OldTokenId,
            NewTokenId = row?.Active?.NewTokenId,
            Detail = "another run holds this credential",
        };
    }

    private async Task<RotationResult> RejectAsync(
        Run run, RotationRequest request, RotationOutcome outcome, TokenId? tokenId, string detail, CancellationToken cancellationToken)
    {
        await RecordAsync(run, "rotate-start", outcome.ToString(), tokenId, null, detail, cancellationToken).ConfigureAwait(false);
        LogRejected(run.SecretName, request.Trigger, outcome, Redaction.Redact(detail));
        return new RotationResult(run.SecretName, outcome) { OldTokenId = tokenId, Detail = Redaction.Redact(detail) };
    }

    private static RotationResult Pending(string secretName, RotationRecord rotation, string detail) =>
        new(secretName, RotationOutcome.Pending)
        {
            RotationId = rotation.RotationId,
            OldTokenId = rotation.OldTokenId,
            NewTokenId = rotation.NewTokenId,
            SecretId = rotation.NewSecretId,
            Detail = Redaction.Redact(detail),
        };

    private static RotationResult LeaseLost(string secretName, string rotationId) =>
        new(secretName, RotationOutcome.InProgress) { RotationId = rotationId, Detail = "the lease was taken over by another run; it continues this rotation" };

    private RotationResult StorageUnavailable(string secretName, RequestFailedException e)
    {
        LogStorageFailure(secretName, e.Status, Redaction.Redact(e.Message));
        return new RotationResult(secretName, RotationOutcome.Pending) { Detail = $"storage unavailable (HTTP {e.Status}); the next run resumes from the recorded step" };
    }

    private Task RecordAsync(
        Run run, string action, string outcome, TokenId? tokenId, string? target, string? detail, CancellationToken cancellationToken,
        string? fingerprint = null, BlastRadius? blastRadius = null) =>
        _audit.RecordAsync(
            new RotationAuditEntry
            {
                Source = run.Source,
                CorrelationId = (run.Lease.State.Active?.RotationId ?? run.RotationId) is { } rid ? $"{run.CorrelationId}/{rid}" : run.CorrelationId,
                Action = action,
                Outcome = outcome,
                SecretName = run.SecretName,
                TokenId = tokenId,
                Fingerprint = fingerprint,
                Target = target,
                Detail = detail,
                BlastRadius = blastRadius,
            },
            cancellationToken);

    private async Task NotifyChangedAsync(string secretName, CancellationToken cancellationToken)
    {
        _catalog.Invalidate();
        foreach (var listener in _listeners)
        {
            await listener.SecretChangedAsync(secretName, cancellationToken).ConfigureAwait(false);
        }
    }

    private ValueTask CheckpointAsync(RotationCheckpoint checkpoint, Run run, CancellationToken cancellationToken) =>
        _checkpoints.ReachedAsync(checkpoint, run.SecretName, cancellationToken);

    /// <summary>One call's working set: the held row, who asked, and the new secret while it is in memory.</summary>
    private sealed class Run(CredentialLease lease, string secretName, string correlationId, string source)
    {
        public CredentialLease Lease { get; } = lease;

        public string SecretName { get; } = secretName;

        public string CorrelationId { get; } = correlationId;

        public string Source { get; } = source;

        /// <summary>The rotation this call works on, kept after the row's record is cleared so closing audit records carry it.</summary>
        public string? RotationId { get; set; }

        /// <summary>The created token's secret, from creation until verification; re-read from Key Vault after a crash.</summary>
        public TokenSecret? NewSecret { get; set; }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Rotation of {SecretName} ({Trigger}) not started: {Outcome}: {Detail}")]
    private partial void LogRejected(string secretName, RotationTrigger trigger, RotationOutcome outcome, string? detail);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Rotation of {SecretName} stopped: storage answered HTTP {Status}: {Message}")]
    private partial void LogStorageFailure(string secretName, int status, string? message);
}
