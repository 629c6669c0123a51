using TokenFunctions.Engine.Incidents.Messages;
using TokenFunctions.Engine.Tokens;

namespace TokenFunctions.Engine.Incidents.Handlers;

/// <summary>
/// Hands the leak rotation of tokens the queue disabled to the queue itself, as a <c>rotate</c> message with
/// <see cref="RotateMessage.Leaked"/> set: a <c>disable</c> spends its budget on Dynatrace only, and a Key Vault outage is
/// retried with the queue's backoff instead of being lost. The message id is derived from its content, so a repeated
/// hand-off of the same tokens is dropped by duplicate detection, and the rotation itself acts once per credential.
/// </summary>
internal sealed class LeakRotationHandOff(IIncidentQueue queue)
{
    /// <summary>False when the queue did not take it: the caller leaves the tokens unfinished, so a later delivery tries again.</summary>
    public async Task<bool> TryHandOffAsync(IncidentMessage origin, IReadOnlyList<TokenId> tokens, CancellationToken cancellationToken)
    {
        if (tokens.Count == 0)
        {
            return true;
        }

        var message = new RotateMessage
        {
            IncidentId = origin.IncidentId,
            TokenIds = [.. tokens.Select(t => t.Value).Distinct(StringComparer.Ordinal)],
            Leaked = true,
            Source = origin.Source,
            RequestedBy = origin.RequestedBy,
            Reason = origin.Reason,
            DetectedAt = origin.DetectedAt,
        };
        try
        {
            await queue.EnqueueAsync(message, cancellationToken).ConfigureAwait(false);
            return true;
        }
#pragma warning disable CA1031 // any failure to enqueue leaves the tokens to a later delivery
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
#pragma warning restore CA1031
        {
            return false;
        }
    }
}
