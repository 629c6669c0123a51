namespace TokenFunctions.Engine.Notifications;

/// <summary>
/// Tells people about an incident. Implementations must return at once and never throw: a slow or failing chat
/// service may not delay or fail a revocation. The registered one queues in process and sends in the background.
/// </summary>
public interface IIncidentNotifier
{
    /// <summary>Hands the summary over; the returned task is already complete.</summary>
    Task NotifyAsync(IncidentSummary summary, CancellationToken cancellationToken);
}
