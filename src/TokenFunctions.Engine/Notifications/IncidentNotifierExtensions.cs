using TokenFunctions.Engine.Kill;

namespace TokenFunctions.Engine.Notifications;

public static class IncidentNotifierExtensions
{
    /// <summary>One notification for one kill result: <see cref="IncidentSummary.From"/>, then hand-off.</summary>
    public static Task NotifyAsync(
        this IIncidentNotifier notifier,
        KillResult result,
        string correlationId,
        string source,
        bool dryRun,
        DateTimeOffset occurredAt,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(notifier);
        return notifier.NotifyAsync(IncidentSummary.From(result, correlationId, source, dryRun, occurredAt), cancellationToken);
    }
}
