using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TokenFunctions.Engine.Telemetry;

namespace TokenFunctions.Engine.Notifications;

/// <summary>
/// Drains <see cref="NotificationQueue"/> in the background. Parts of the same incident become one message: an incident
/// is held until no part has arrived for <see cref="NotificationOptions.CoalesceQuietPeriod"/> (at most
/// <see cref="NotificationOptions.CoalesceMaxDelay"/>); an incident already announced with the same outcomes is skipped. Each incident goes to every
/// configured channel in parallel; a channel's failure is counted
/// (<c>tokenfunctions.notifications.failures{channel}</c>) and logged with the incident and token ids, never thrown.
/// </summary>
public sealed partial class NotificationDispatcher : BackgroundService
{
    private readonly NotificationQueue _queue;
    private readonly IReadOnlyList<INotificationChannel> _channels;
    private readonly TokenFunctionsMetrics _metrics;
    private readonly ILogger _logger;
    private readonly NotificationOptions _options;
    private readonly IncidentDeduplicator _deduplicator;
    private readonly TimeProvider _timeProvider;

    private long _read;

    /// <summary>
    /// Raised just before the dispatcher waits (for the queue, or on the clock with incidents held), with how many parts
    /// it has read so far. Tests advance a fake clock only once it has read everything and is waiting.
    /// </summary>
    internal event Action<long>? Idle;

    public NotificationDispatcher(
        NotificationQueue queue,
        IEnumerable<INotificationChannel> channels,
        TokenFunctionsMetrics metrics,
        ILogger<NotificationDispatcher> logger,
        IOptions<NotificationOptions> options,
        IncidentDeduplicator deduplicator,
        TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(options);
        _queue = queue;
        _channels = channels.Where(c => c.IsConfigured).ToList();
        _metrics = metrics;
        _logger = logger;
        _options = options.Value;
        _deduplicator = deduplicator;
        _timeProvider = timeProvider;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var reader = _queue.Reader;
        var held = new Dictionary<string, HeldIncident>(StringComparer.Ordinal);
        try
        {
            await DrainAsync(held, stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: report what never left.
        }

        var unsent = held.Values.Select(h => h.Summary).ToList();
        while (reader.TryRead(out var summary))
        {
            unsent.Add(summary);
        }

        foreach (var summary in unsent)
        {
            _metrics.NotificationFailure(NotificationChannels.Queue);
            LogUnsentOnShutdown(_logger, summary.CorrelationId, TokenIds(summary));
        }
    }

    /// <summary>Reads parts into <paramref name="held"/> and sends each incident once it is due, until the queue completes.</summary>
    private async Task DrainAsync(Dictionary<string, HeldIncident> held, CancellationToken stoppingToken)
    {
        var reader = _queue.Reader;
        while (true)
        {
            var now = _timeProvider.GetUtcNow();
            while (reader.TryRead(out var summary))
            {
                _read++;
                Hold(held, summary, now);
            }

            if (!await SendDueAsync(held, now, stoppingToken).ConfigureAwait(false) && !await WaitAsync(held, stoppingToken).ConfigureAwait(false))
            {
                return;
            }
        }
    }

    /// <summary>Sends (and stops holding) every incident due at <paramref name="now"/>; false when none is.</summary>
    private async Task<bool> SendDueAsync(Dictionary<string, HeldIncident> held, DateTimeOffset now, CancellationToken stoppingToken)
    {
        var due = held.Values.Where(h => h.DueAt <= now).Select(h => h.Summary).ToList();
        if (due.Count == 0)
        {
            return false;
        }

        foreach (var incident in due)
        {
            held.Remove(incident.CorrelationId);
        }

        await SendAllAsync(due, stoppingToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>
    /// Waits for the next part, or, with something held, for the next part or the earliest held incident's due time,
    /// whichever is first. False when the queue is complete (no part will come again).
    /// </summary>
    private async Task<bool> WaitAsync(Dictionary<string, HeldIncident> held, CancellationToken stoppingToken)
    {
        var reader = _queue.Reader;
        if (held.Count == 0)
        {
            Idle?.Invoke(_read);
            return await reader.WaitToReadAsync(stoppingToken).ConfigureAwait(false);
        }

        using var wake = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var wait = held.Values.Min(h => h.DueAt) - _timeProvider.GetUtcNow();
        var delay = Task.Delay(wait > TimeSpan.Zero ? wait : TimeSpan.Zero, _timeProvider, wake.Token);
        var next = reader.WaitToReadAsync(wake.Token).AsTask();
        Idle?.Invoke(_read);
        await Task.WhenAny(delay, next).ConfigureAwait(false);
        await wake.CancelAsync().ConfigureAwait(false);
        stoppingToken.ThrowIfCancellationRequested();
        return !(next.IsCompletedSuccessfully && !next.Result);
    }

    /// <summary>Adds a part to its incident's held message and pushes the incident's due time out by the quiet period.</summary>
    private void Hold(Dictionary<string, HeldIncident> held, IncidentSummary summary, DateTimeOffset now)
    {
        var earlier = held.GetValueOrDefault(summary.CorrelationId);
        var merged = earlier is null ? summary : IncidentSummary.MergeByIncident([earlier.Summary, summary])[0];
        var firstAt = earlier?.FirstAt ?? now;
        held[summary.CorrelationId] = new HeldIncident(merged, firstAt, Min(firstAt + _options.CoalesceMaxDelay, now + _options.CoalesceQuietPeriod));
    }

    private async Task SendAllAsync(IReadOnlyList<IncidentSummary> due, CancellationToken stoppingToken)
    {
        var incidents = due.Where(_deduplicator.IsNew).ToList();
        await Parallel.ForEachAsync(
            incidents,
            new ParallelOptions { MaxDegreeOfParallelism = _options.MaxConcurrentIncidents, CancellationToken = stoppingToken },
            async (incident, ct) => await SendAsync(incident, ct).ConfigureAwait(false)).ConfigureAwait(false);
    }

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    private sealed record HeldIncident(IncidentSummary Summary, DateTimeOffset FirstAt, DateTimeOffset DueAt);

    /// <summary>Sends one incident to every configured channel; completes when all have delivered or given up.</summary>
    internal async Task SendAsync(IncidentSummary summary, CancellationToken cancellationToken)
    {
        var view = IncidentView.Create(summary, _options);
        await Task.WhenAll(_channels.Select(c => SendOneAsync(c, view, cancellationToken))).ConfigureAwait(false);
    }

    private async Task SendOneAsync(INotificationChannel channel, IncidentView view, CancellationToken cancellationToken)
    {
        NotificationResult result;
        try
        {
            result = await channel.SendAsync(view, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            result = NotificationResult.Failed("shutdown");
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // A channel bug must not stop the others or the dispatcher; the type is enough to find it.
            result = NotificationResult.Failed(ex.GetType().Name);
        }

        // Log first, count second: the count is what tests and dashboards treat as "this delivery is over".
        if (result.Delivered)
        {
            LogSent(_logger, channel.Name, view.Summary.CorrelationId, view.Tokens.Count);
            _metrics.NotificationSent(channel.Name);
        }
        else
        {
            LogFailed(_logger, channel.Name, view.Summary.CorrelationId, result.Reason ?? "unknown", TokenIds(view.Summary));
            _metrics.NotificationFailure(channel.Name);
        }
    }

    private static string TokenIds(IncidentSummary summary) => string.Join(',', summary.Tokens.Select(t => t.TokenId.Value));

    [LoggerMessage(EventId = 7211, Level = LogLevel.Information, Message = "Notified {Channel} about incident {IncidentId} ({TokenCount} token(s))")]
    private static partial void LogSent(ILogger logger, string channel, string incidentId, int tokenCount);

    [LoggerMessage(EventId = 7212, Level = LogLevel.Error, Message = "Notification to {Channel} failed ({Reason}) for incident {IncidentId}, tokens [{TokenIds}]; the audit trail has it")]
    private static partial void LogFailed(ILogger logger, string channel, string incidentId, string reason, string tokenIds);

    [LoggerMessage(EventId = 7213, Level = LogLevel.Warning, Message = "Host stopping: incident {IncidentId} (tokens [{TokenIds}]) was not announced; the audit trail has it")]
    private static partial void LogUnsentOnShutdown(ILogger logger, string incidentId, string tokenIds);
}
