namespace TokenFunctions.Engine.Notifications;

/// <summary>One destination (Teams, Slack, a generic webhook). Sends with its own retries and timeouts; never throws for a delivery failure.</summary>
public interface INotificationChannel
{
    /// <summary>One of <see cref="NotificationChannels"/>; the <c>channel</c> metric tag.</summary>
    string Name { get; }

    bool IsConfigured { get; }

    Task<NotificationResult> SendAsync(IncidentView view, CancellationToken cancellationToken);
}
