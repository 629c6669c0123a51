using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using TokenFunctions.Engine.Audit;
using TokenFunctions.Engine.Telemetry;
using TokenFunctions.Engine.Tokens;

namespace TokenFunctions.Engine.Kill;

/// <summary>
/// Evidence of use, off the critical path: the kill hands each disabled token here after deciding (a non-blocking
/// write, never awaited by a disable), and <see cref="UsageEvidenceWorker"/> (or <see cref="DrainAsync"/>) reads its
/// <see cref="UsageEvidence"/>, audits it as action <c>evidence</c> on the incident, and adds it to the incident's
/// notification. A full queue drops the evidence, never a kill (counted and logged).
/// </summary>
public sealed partial class UsageEvidenceQueue
{
    private const int Capacity = 10_000;
    private readonly Channel<EvidenceWork> _channel = Channel.CreateBounded<EvidenceWork>(new BoundedChannelOptions(Capacity) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly SemaphoreSlim _drain = new(1, 1);
    private readonly UsageEvidenceCollector _collector;
    private readonly IAuditSink _audit;
    private readonly IEvidenceNotifier? _notifier;
    private readonly TokenFunctionsMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger<UsageEvidenceQueue> _logger;

    public UsageEvidenceQueue(
        UsageEvidenceCollector collector,
        IAuditSink audit,
        TokenFunctionsMetrics metrics,
        TimeProvider time,
        ILogger<UsageEvidenceQueue> logger,
        IEvidenceNotifier? notifier = null)
    {
        _collector = collector;
        _audit = audit;
        _metrics = metrics;
        _time = time;
        _logger = logger;
        _notifier = notifier;
    }

    internal ChannelReader<EvidenceWork> Reader => _channel.Reader;

    /// <summary>Never blocks; false (counted, logged) when the queue is full.</summary>
    public bool Enqueue(TokenOutcome disabled, string correlationId, string source, DateTimeOffset? detectedAt)
    {
        ArgumentNullException.ThrowIfNull(disabled);
        var work = new EvidenceWork(disabled, correlationId, source, detectedAt ?? _time.GetUtcNow());
        if (_channel.Writer.TryWrite(work))
        {
            return true;
        }

        _metrics.TokenOutcome(source, "EvidenceDropped");
        LogDropped(disabled.TokenId);
        return false;
    }

    /// <summary>Handles every queued item now (the worker's loop; tests and the CLI call it directly).</summary>
    public async Task DrainAsync(CancellationToken cancellationToken)
    {
        // One drain at a time: a drain at shutdown waits for the worker's item in flight instead of racing it.
        await _drain.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            while (_channel.Reader.TryRead(out var work))
            {
                await HandleAsync(work, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            _drain.Release();
        }
    }

    internal async Task HandleAsync(EvidenceWork work, CancellationToken cancellationToken)
    {
        var outcome = work.Outcome;
        UsageEvidence evidence;
        try
        {
            evidence = await _collector.CollectAsync(outcome, work.Since, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            var safe = Redaction.RedactException(ex);
            evidence = new UsageEvidence { Since = work.Since, Unavailable = $"Evidence could not be read: {safe.Message}" };
        }

        var withEvidence = outcome with { Evidence = evidence };
        await _audit.WriteAsync(
        [
            new AuditRecord
            {
                Timestamp = _time.GetUtcNow(),
                Source = work.Source,
                CorrelationId = work.CorrelationId,
                Action = "evidence",
                Outcome = evidence.UsedSinceLeak ? "UsedAfterLeak" : "NoUseAfterLeak",
                TokenId = outcome.TokenId,
                TokenKind = outcome.Kind,
                Fingerprint = outcome.Fingerprint,
                Owner = outcome.Owner,
                Detail = evidence.Summary(),
                BlastRadius = new BlastRadius(
                    outcome.Facts?.Owner,
                    outcome.Facts?.Scopes ?? [],
                    evidence.LastUsedAt,
                    evidence.LastUsedFrom,
                    outcome.Facts?.Name),
            },
        ], cancellationToken).ConfigureAwait(false);
        LogCollected(outcome.TokenId, work.CorrelationId, evidence.Summary());

        if (_notifier is not null)
        {
            await _notifier.NotifyAsync(withEvidence, work.CorrelationId, work.Source, _time.GetUtcNow(), CancellationToken.None).ConfigureAwait(false);
        }
    }

    [LoggerMessage(EventId = 4130, Level = LogLevel.Information, Message = "Evidence of use for {TokenId} (incident {CorrelationId}): {Summary}")]
    private partial void LogCollected(TokenId tokenId, string correlationId, string summary);

    [LoggerMessage(EventId = 4131, Level = LogLevel.Warning, Message = "Evidence queue full: the evidence of use of {TokenId} is not gathered; the token is disabled all the same")]
    private partial void LogDropped(TokenId tokenId);
}

/// <summary>One disabled token whose use to look up, and the incident it belongs to.</summary>
internal sealed record EvidenceWork(TokenOutcome Outcome, string CorrelationId, string Source, DateTimeOffset Since);
