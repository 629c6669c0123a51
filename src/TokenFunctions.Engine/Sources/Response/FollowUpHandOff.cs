using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TokenFunctions.Engine.Incidents;
using TokenFunctions.Engine.Incidents.Messages;
using TokenFunctions.Engine.Telemetry;
using TokenFunctions.Engine.Tokens;

namespace TokenFunctions.Engine.Sources.Response;

/// <summary>
/// Hands a webhook's follow-up (an alert resolution, the leak rotation of tokens disabled inline) to the incident queue
/// once the answer is decided. The tokens are disabled already, so a queue that does not take the message is no reason to
/// fail the delivery: the message waits in <see cref="PendingFollowUps"/>, and <see cref="FollowUpRetryService"/> offers it
/// again with backoff until the queue takes it (audited <c>Queued</c> then). A full buffer is logged as critical with the
/// token ids and the alert, for a human.
/// </summary>
public sealed partial class FollowUpHandOff
{
    private readonly IIncidentQueue _queue;
    private readonly SourceAudit _audit;
    private readonly TokenFunctionsMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly IOptions<SourcesOptions> _options;
    private readonly ILogger<FollowUpHandOff> _logger;
    private readonly PendingFollowUps _pending;

    public FollowUpHandOff(
        IIncidentQueue queue, PendingFollowUps pending, SourceAudit audit, TokenFunctionsMetrics metrics, TimeProvider time, IOptions<SourcesOptions> options, ILogger<FollowUpHandOff> logger)
    {
        _queue = queue;
        _pending = pending;
        _audit = audit;
        _metrics = metrics;
        _time = time;
        _options = options;
        _logger = logger;
    }

    /// <summary>Follow-ups waiting for the queue.</summary>
    public int PendingCount => _pending.Count;

    /// <summary>Queues <paramref name="message"/> within <see cref="SourcesOptions.EnqueueTimeout"/>, else keeps it for a retry. Never throws.</summary>
    public async Task HandOffAsync(LeakBatch batch, IncidentMessage message)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(message);
        var pending = new PendingFollowUp(batch.Source, batch.CorrelationId, message);
        if (await TryEnqueueAsync(pending).ConfigureAwait(false))
        {
            return;
        }

        await _audit.TryWriteAsync([_audit.Record(pending.Source, pending.CorrelationId, Action(message), "HandOffFailed", detail: Detail(message) + "; retrying in the background")])
            .ConfigureAwait(false);
        Keep(pending);
    }

    /// <summary>Offers every waiting follow-up to the queue once; returns how many are still waiting.</summary>
    public async Task<int> RetryPendingAsync(CancellationToken cancellationToken)
    {
        var count = _pending.Count;
        for (var i = 0; i < count && _pending.Reader.TryRead(out var pending); i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (!await TryEnqueueAsync(pending).ConfigureAwait(false))
            {
                Keep(pending);
            }
        }

        return _pending.Count;
    }

    private async Task<bool> TryEnqueueAsync(PendingFollowUp pending)
    {
        try
        {
            using var budget = new CancellationTokenSource(_options.Value.EnqueueTimeout, _time);
            await _queue.EnqueueAsync(pending.Message, budget.Token).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // a follow-up that cannot be queued waits for the retry; it never fails the delivery
        catch (Exception e)
#pragma warning restore CA1031
        {
            LogFailed(_logger, pending.Source, pending.CorrelationId, Action(pending.Message), e.GetType().Name, Redaction.Redact(e.Message));
            return false;
        }

        LogQueued(_logger, pending.Source, pending.CorrelationId, Action(pending.Message));
        await _audit.TryWriteAsync([_audit.Record(pending.Source, pending.CorrelationId, Action(pending.Message), "Queued", detail: Detail(pending.Message))]).ConfigureAwait(false);
        return true;
    }

    private void Keep(PendingFollowUp pending)
    {
        if (_pending.TryAdd(pending))
        {
            return;
        }

        _metrics.TokenOutcome(pending.Source, "handoff-failed");
        LogLost(_logger, pending.Source, pending.CorrelationId, Action(pending.Message), Detail(pending.Message));
    }

    /// <summary>The audit action: what the follow-up finishes.</summary>
    internal static string Action(IncidentMessage message) => message switch
    {
        RotateMessage => "leak-rotate",
        DisableMessage { GitHubAlert: not null } => "resolve-alert",
        _ => "handoff",
    };

    internal static string Detail(IncidentMessage message) => message switch
    {
        RotateMessage r => "tokens " + string.Join(", ", r.TokenIds),
        DisableMessage { GitHubAlert: { } alert } => alert.ToString(),
        DisableMessage d => "tokens " + string.Join(", ", d.Tokens),
        _ => message.IncidentId,
    };

    [LoggerMessage(Level = LogLevel.Information, Message = "{Source} {CorrelationId}: {Action} follow-up handed to the incident queue")]
    private static partial void LogQueued(ILogger logger, string source, string correlationId, string action);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Source} {CorrelationId}: the incident queue did not take the {Action} follow-up ({ErrorType}: {Error}); retrying in the background")]
    private static partial void LogFailed(ILogger logger, string source, string correlationId, string action, string errorType, string? error);

    [LoggerMessage(Level = LogLevel.Critical, Message = "{Source} {CorrelationId}: {Action} follow-up dropped, the retry buffer is full; do it by hand: {Detail}")]
    private static partial void LogLost(ILogger logger, string source, string correlationId, string action, string detail);
}
