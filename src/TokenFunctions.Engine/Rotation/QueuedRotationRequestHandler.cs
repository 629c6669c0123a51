using TokenFunctions.Engine.Incidents;
using TokenFunctions.Engine.Incidents.Handlers;
using TokenFunctions.Engine.KeyVault;
using TokenFunctions.Engine.Kill;
using TokenFunctions.Engine.Tokens;

namespace TokenFunctions.Engine.Rotation;

/// <summary>
/// Carries out a queued <c>rotate</c> message: finds the managed credential that holds the token and rotates it as a
/// manual rotation (with the credential's overlap window). Only the current token of a credential is rotated, so a
/// redelivered message after a successful rotation answers "already rotated" instead of rotating twice. A leaked token
/// (<see cref="ReplaceLeakedAsync"/>) goes through <see cref="ILeakRotation"/>, as the kill would have inline; while
/// Key Vault is unavailable the answer is a transient failure, so the queue retries with backoff.
/// </summary>
public sealed class QueuedRotationRequestHandler(IManagedCredentialIndex index, IRotationService rotation, ILeakRotation? leakRotation = null) : IRotationRequestHandler
{
    public const string Source = "queue";

    public async Task<RotationRequestResult> RotateAsync(TokenId tokenId, string incidentId, string requestedBy, CancellationToken cancellationToken)
    {
        var match = await index.FindByTokenIdAsync(tokenId, cancellationToken).ConfigureAwait(false);
        if (match is null)
        {
            return RotationRequestResult.NotManaged($"{tokenId} is not held by any managed Key Vault secret.");
        }

        if (match.IsPrevious)
        {
            return RotationRequestResult.Rotated() with { Detail = $"{tokenId} was already replaced; {match.SecretName} holds its successor." };
        }

        var result = await rotation.RotateAsync(
            new RotationRequest
            {
                SecretName = match.SecretName,
                Trigger = RotationTrigger.Manual,
                CorrelationId = incidentId,
                Source = Source,
                RequestedBy = requestedBy,
                ExpectedTokenId = tokenId,
            },
            cancellationToken).ConfigureAwait(false);

        var detail = Redaction.Redact(result.Detail);
        return RotationOutcomeClassifier.Classify(result.Outcome) switch
        {
            OutcomeClass.Succeeded => RotationRequestResult.Rotated(result.SecretId),
            OutcomeClass.Settled => RotationRequestResult.NotManaged(detail),
            OutcomeClass.Retry => RotationRequestResult.Failed(detail ?? $"{match.SecretName} is being rotated or is waiting on Dynatrace or Key Vault; retry later."),
            _ => RotationRequestResult.NeedsHuman($"{result.Outcome}: {detail ?? "see the audit trail for " + match.SecretName}"),
        };
    }

    public async Task<RotationRequestResult> ReplaceLeakedAsync(TokenId tokenId, string incidentId, string requestedBy, CancellationToken cancellationToken)
    {
        if (leakRotation is null)
        {
            return RotationRequestResult.Unavailable("leak rotation is not configured for this deployment (no Key Vault)");
        }

        // Only a Disabled or AlreadyDisabled token reaches the queue as leaked (the kill hands nothing else over).
        var disabled = new TokenOutcome { TokenId = tokenId, Outcome = TokenOutcomeKind.AlreadyDisabled };
        LeakReplacement? replacement;
        try
        {
            replacement = await leakRotation.ReplaceLeakedAsync(disabled, incidentId, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return RotationRequestResult.NeedsHuman($"replacing the leaked credential failed ({e.GetType().Name}: {Redaction.Redact(e.Message)})");
        }

        return replacement switch
        {
            null => RotationRequestResult.NotManaged($"{tokenId} is not held by any managed Key Vault secret."),
            { IsPostponed: true } => RotationRequestResult.Failed("Key Vault or the rotation state store is unavailable; the replacement is retried"),
            { Location: { } location } => RotationRequestResult.Rotated(location),
            _ => RotationRequestResult.NeedsHuman($"{tokenId} is a managed credential but no replacement could be made; see the audit trail (leak-rotate, rotate-*) for {incidentId}"),
        };
    }
}
