using TokenFunctions.Engine.Kill;
using TokenFunctions.Engine.Leaks;
using TokenFunctions.Engine.Tokens;

namespace TokenFunctions.Engine.Notifications;

/// <summary>
/// Tells people after the kill has decided: one notification per incident (correlation id) in the batch.
/// The notifier only queues in process, so this adds no latency to a revocation and cannot fail it.
/// </summary>
public sealed class NotifyingKillService(KillService inner, IIncidentNotifier notifier, TimeProvider time) : IKillService
{
    public async Task<KillResult> DisableAsync(KillRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var result = await inner.DisableAsync(request, cancellationToken).ConfigureAwait(false);
        return await NotifyPerIncidentAsync(request, result, notifier, time).ConfigureAwait(false);
    }

    public Task<TokenOutcome> EnableAsync(
        TokenId tokenId, string? ownerHint, string correlationId, string requestedBy, string reason, CancellationToken cancellationToken) =>
        inner.EnableAsync(tokenId, ownerHint, correlationId, requestedBy, reason, cancellationToken);

    internal static async Task<KillResult> NotifyPerIncidentAsync(
        KillRequest request, KillResult result, IIncidentNotifier notifier, TimeProvider time)
    {
        var leakByToken = new Dictionary<TokenId, Leak>();
        foreach (var leak in request.Leaks)
        {
            leakByToken.TryAdd(leak.TokenId, leak);
        }

        foreach (var incident in result.Outcomes.GroupBy(o => leakByToken.TryGetValue(o.TokenId, out var leak) ? leak.CorrelationId : "unknown"))
        {
            var outcomes = incident.ToList();
            var source = leakByToken.TryGetValue(outcomes[0].TokenId, out var first) ? first.Source : "unknown";
            var dryRun = request.DryRun || outcomes.All(o => o.Outcome == TokenOutcomeKind.WouldDisable);

            // Not the caller's token: the decision is made, and a cancelled caller must not drop the notification.
            await notifier.NotifyAsync(new KillResult(outcomes), incident.Key, source, dryRun, time.GetUtcNow(), CancellationToken.None)
                .ConfigureAwait(false);
        }

        return result;
    }
}
