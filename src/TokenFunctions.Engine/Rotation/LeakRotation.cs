using Azure;
using Microsoft.Extensions.Logging;
using TokenFunctions.Engine.KeyVault;
using TokenFunctions.Engine.Kill;
using TokenFunctions.Engine.Tokens;

namespace TokenFunctions.Engine.Rotation;

/// <summary>
/// After the kill disabled a leaked token (disable first, always): if the token is a managed credential, rotate it
/// with no overlap; if it is the token a recent rotation replaced, end its overlap window now. Returns the Key Vault id of
/// the replacement (versioned when this call produced it, versionless when a rotation already in flight will), null
/// when the token is not managed, or <see cref="LeakReplacement.Postponed"/> when Key Vault or storage is unavailable
/// (<see cref="KeyVaultOutage"/>: an unreachable vault surfaces as an <see cref="AggregateException"/> of failed attempts,
/// not only as a <see cref="RequestFailedException"/>), audited <c>leak-rotate</c>/<c>Postponed</c> so the caller retries.
/// The rotation is started with <see cref="RotationRequest.OldTokenAlreadyDisabled"/> set: the caller says the token is
/// disabled (every caller is the kill, after a disable).
/// </summary>
public sealed partial class LeakRotation : ILeakRotation
{
    public const string Source = "leak-rotation";

    private readonly IManagedCredentialCatalog _catalog;
    private readonly IRotationService _rotation;
    private readonly RotationAudit _audit;
    private readonly ILogger<LeakRotation> _logger;

    public LeakRotation(IManagedCredentialCatalog catalog, IRotationService rotation, RotationAudit audit, ILogger<LeakRotation> logger)
    {
        _catalog = catalog;
        _rotation = rotation;
        _audit = audit;
        _logger = logger;
    }

    public async Task<LeakReplacement?> ReplaceLeakedAsync(TokenOutcome disabled, string correlationId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(disabled);
        try
        {
            return await ReplaceAsync(disabled, correlationId, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (KeyVaultOutage.Is(e, cancellationToken.IsCancellationRequested))
        {
            // Key Vault or storage is down. The leaked token is disabled already; the caller retries the replacement (the
            // incident queue with backoff), and the scheduled run rotates every credential whose current token Dynatrace no
            // longer accepts, so the replacement follows once they are back either way.
            var reason = e is RequestFailedException r ? $"HTTP {r.Status}" : e.GetType().Name;
            LogUnavailable(disabled.TokenId.Value, reason);
            await _audit.RecordAsync(
                new RotationAuditEntry
                {
                    Source = Source,
                    CorrelationId = correlationId,
                    Action = "leak-rotate",
                    Outcome = "Postponed",
                    TokenId = disabled.TokenId,
                    Fingerprint = disabled.Fingerprint,
                    Target = disabled.Owner,
                    Detail = $"Key Vault or storage is unavailable ({reason}); the replacement of the disabled token is retried",
                },
                CancellationToken.None).ConfigureAwait(false);
            return LeakReplacement.Postponed;
        }
    }

    private async Task<LeakReplacement?> ReplaceAsync(TokenOutcome disabled, string correlationId, CancellationToken cancellationToken)
    {
        var match = await _catalog.FindByTokenIdAsync(disabled.TokenId, cancellationToken).ConfigureAwait(false);
        if (match is null && disabled.Fingerprint is { } fingerprint)
        {
            match = await _catalog.FindByFingerprintAsync(fingerprint, cancellationToken).ConfigureAwait(false);
        }

        if (match is null)
        {
            return null;
        }

        var snapshot = await _catalog.GetSnapshotAsync(refresh: false, cancellationToken).ConfigureAwait(false);
        var managed = snapshot.Get(match.SecretName);
        var notify = managed?.Policy.Notify;
        var versionless = managed?.SecretId;

        if (disabled.Outcome is not (TokenOutcomeKind.Disabled or TokenOutcomeKind.AlreadyDisabled))
        {
            // Never create a replacement while the leaked token may still work, and never in a dry run.
            await RecordAsync(correlationId, match, "Skipped", $"the leaked token was not disabled ({disabled.Outcome}), so it is not rotated", cancellationToken).ConfigureAwait(false);
            return new LeakReplacement(null, notify);
        }

        if (match.IsPrevious)
        {
            var expedited = await _rotation.ExpediteRetirementAsync(match.SecretName, match.TokenId, correlationId, Source, cancellationToken).ConfigureAwait(false);
            await RecordAsync(correlationId, match, expedited ? "OverlapEnded" : "AlreadyRetired",
                "the leaked token had already been replaced; the secret holds its successor", cancellationToken).ConfigureAwait(false);
            return new LeakReplacement(versionless, notify);
        }

        var result = await _rotation.RotateAsync(
            new RotationRequest
            {
                SecretName = match.SecretName,
                Trigger = RotationTrigger.Leak,
                CorrelationId = correlationId,
                Source = Source,
                ExpectedTokenId = match.TokenId,
                OldTokenAlreadyDisabled = true,
            },
            cancellationToken).ConfigureAwait(false);
        LogResult(match.SecretName, match.TokenId.Value, result.Outcome, result.Detail);
        var problem = result.Outcome is RotationOutcome.Rotated or RotationOutcome.AlreadyRotated or RotationOutcome.InProgress or RotationOutcome.Pending
            ? null
            : $"{result.Outcome}: {result.Detail}";
        return new LeakReplacement(
            result.Outcome switch
            {
                RotationOutcome.Rotated or RotationOutcome.AlreadyRotated => result.SecretId ?? versionless,
                RotationOutcome.InProgress or RotationOutcome.Pending => versionless,
                _ => null,
            },
            notify)
        { Problem = problem };
    }

    private Task RecordAsync(string correlationId, ManagedCredentialRef match, string outcome, string detail, CancellationToken cancellationToken) =>
        _audit.RecordAsync(
            new RotationAuditEntry
            {
                Source = Source,
                CorrelationId = correlationId,
                Action = "leak-rotate",
                Outcome = outcome,
                SecretName = match.SecretName,
                TokenId = match.TokenId,
                Target = match.Owner,
                Detail = detail,
            },
            cancellationToken);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Leak rotation for {TokenId} postponed: Key Vault or storage is unavailable ({Reason})")]
    private partial void LogUnavailable(string tokenId, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Leak rotation of {SecretName} (leaked {TokenId}): {Outcome} {Detail}")]
    private partial void LogResult(string secretName, string tokenId, RotationOutcome outcome, string? detail);
}
