using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TokenFunctions.Engine.Telemetry;

namespace TokenFunctions.Engine.Notifications;

/// <summary>
/// The registered <see cref="IIncidentNotifier"/>: a non-blocking <c>TryWrite</c> into <see cref="NotificationQueue"/>.
/// It completes synchronously whatever the chat services are doing; a full queue is counted
/// (<c>tokenfunctions.notifications.failures{channel="queue"}</c>) and logged with token ids, never waited for.
/// </summary>
public sealed partial class QueuedIncidentNotifier : IIncidentNotifier
{
    private readonly NotificationQueue _queue;
    private readonly TokenFunctionsMetrics _metrics;
    private readonly ILogger _logger;
    private readonly bool _anyChannel;
    private readonly bool _notifyDryRun;

    public QueuedIncidentNotifier(
        NotificationQueue queue,
        IEnumerable<INotificationChannel> channels,
        TokenFunctionsMetrics metrics,
        ILogger<QueuedIncidentNotifier> logger,
        IOptions<NotificationOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _queue = queue;
        _metrics = metrics;
        _logger = logger;
        _anyChannel = channels.Any(c => c.IsConfigured);
        _notifyDryRun = options.Value.NotifyDryRun;
    }

    public Task NotifyAsync(IncidentSummary summary, CancellationToken cancellationToken)
    {
        if (summary is null || summary.Tokens.Count == 0 || !_anyChannel || (summary.DryRun && !_notifyDryRun))
        {
            return Task.CompletedTask;
        }

        if (!_queue.TryEnqueue(summary))
        {
            _metrics.NotificationFailure(NotificationChannels.Queue);
            LogQueueFull(_logger, summary.CorrelationId, string.Join(',', summary.Tokens.Select(t => t.TokenId.Value)));
        }

        return Task.CompletedTask;
    }

    [LoggerMessage(EventId = 7201, Level = LogLevel.Warning, Message = "Notification queue full: incident {IncidentId} (tokens [{TokenIds}]) not announced; the audit trail has it")]
    private static partial void LogQueueFull(ILogger logger, string incidentId, string tokenIds);
}
