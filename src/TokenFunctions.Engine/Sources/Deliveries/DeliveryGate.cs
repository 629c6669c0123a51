using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TokenFunctions.Engine.Tokens;

namespace TokenFunctions.Engine.Sources.Deliveries;

/// <summary>
/// The delivery claims as the endpoints use them. When the store itself is down the gate fails OPEN (the request is processed
/// without dedupe): disabling a token twice is harmless, dropping an alert is not. Timestamped sources keep their
/// replay window in that case.
/// </summary>
public sealed partial class DeliveryGate(IDeliveryClaims claims, IOptions<SourcesOptions> options, TimeProvider timeProvider, ILogger<DeliveryGate> logger)
{
    public async Task<DeliveryClaim> ClaimAsync(string source, string key, TimeSpan? retention, CancellationToken cancellationToken)
    {
        var keep = retention ?? options.Value.DeliveryRetention;
        try
        {
            return await claims.ClaimAsync(source, key, options.Value.ClaimLease, keep, cancellationToken).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // storage failure must not drop the alert
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
#pragma warning restore CA1031
        {
            LogClaimsDown(logger, source, "claim", e.GetType().Name, Redaction.Redact(e.Message));
            return new DeliveryClaim(ClaimStatus.Claimed, source, key, timeProvider.GetUtcNow() + keep);
        }
    }

    /// <summary>
    /// The replay guard of the timestamped schemes: the signature itself is the key (case and padding ignored), kept for
    /// twice the timestamp window so an identical signed request can never be accepted again while its timestamp would
    /// still pass. Anything but <see cref="ClaimStatus.Claimed"/> is a replay.
    /// </summary>
    public Task<DeliveryClaim> ClaimSignatureAsync(string source, string signature, TimeSpan timestampWindow, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(signature);
        return ClaimAsync(source, "sig:" + signature.Trim().ToLowerInvariant(), timestampWindow * 2, cancellationToken);
    }

    /// <summary>
    /// Completes the claim when the delivery was handled, else releases it so a redelivery can act (the endpoints count any
    /// answer below 500 as handled).
    /// </summary>
    public Task SettleAsync(DeliveryClaim claim, bool handled) => handled ? CompleteAsync(claim) : ReleaseAsync(claim);

    public async Task CompleteAsync(DeliveryClaim claim)
    {
        try
        {
            await claims.CompleteAsync(claim, CancellationToken.None).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // the work is done; a missing completion only means a duplicate may act again
        catch (Exception e)
#pragma warning restore CA1031
        {
            LogClaimsDown(logger, claim.Source, "complete", e.GetType().Name, Redaction.Redact(e.Message));
        }
    }

    public async Task ReleaseAsync(DeliveryClaim claim)
    {
        try
        {
            await claims.ReleaseAsync(claim, CancellationToken.None).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // an unreleased claim still expires with its lease
        catch (Exception e)
#pragma warning restore CA1031
        {
            LogClaimsDown(logger, claim.Source, "release", e.GetType().Name, Redaction.Redact(e.Message));
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Delivery claims {Operation} failed for {Source} ({ErrorType}: {Error}); continuing without dedupe")]
    private static partial void LogClaimsDown(ILogger logger, string source, string operation, string errorType, string? error);
}
