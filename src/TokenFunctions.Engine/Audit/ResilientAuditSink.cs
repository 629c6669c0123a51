using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TokenFunctions.Engine.Telemetry;

namespace TokenFunctions.Engine.Audit;

/// <summary>
/// The <see cref="IAuditSink"/> callers get. An audit write must never block or fail a revocation, so this sink waits at
/// most <see cref="AuditOptions.WriteTimeout"/> for the store and never throws. When the store fails, each record is
/// (1) counted in <c>tokenfunctions.audit.failures</c>, (2) written as one structured fallback log line
/// (<c>AuditFallback</c>, the redacted record as JSON) so it survives even if this instance dies, and (3) queued in the
/// bounded <see cref="AuditRetryBuffer"/>, which <see cref="AuditRetryService"/> drains into the store when it is back.
/// Retrying cannot duplicate: a record's row key is derived from its content (<see cref="AuditKeys"/>).
/// </summary>
public sealed partial class ResilientAuditSink : IAuditSink
{
    private readonly IAuditSink _inner;
    private readonly AuditRetryBuffer _buffer;
    private readonly TokenFunctionsMetrics _metrics;
    private readonly ILogger _logger;
    private readonly TimeProvider _timeProvider;
    private readonly TimeSpan _writeTimeout;

    public ResilientAuditSink(
        IAuditSink inner,
        AuditRetryBuffer buffer,
        TokenFunctionsMetrics metrics,
        ILogger<ResilientAuditSink> logger,
        IOptions<AuditOptions> options,
        TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(options);
        _inner = inner;
        _buffer = buffer;
        _metrics = metrics;
        _logger = logger;
        _timeProvider = timeProvider;
        _writeTimeout = options.Value.WriteTimeout;
    }

    public async Task WriteAsync(IReadOnlyList<AuditRecord> records, CancellationToken cancellationToken)
    {
        if (records is null || records.Count == 0)
        {
            return;
        }

        using var timeout = new CancellationTokenSource(_writeTimeout, _timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, cancellationToken);
        string reason;
        try
        {
            await _inner.WriteAsync(records, linked.Token).ConfigureAwait(false);
            return;
        }
        catch (OperationCanceledException) when (!timeout.IsCancellationRequested && cancellationToken.IsCancellationRequested)
        {
            // The caller gave up (e.g. the host is stopping); the decision still happened, so keep the record.
            reason = AuditFailureReason.Cancelled;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            reason = AuditFailureReason.Of(ex);
            LogStoreException(_logger, ex.GetType().Name, (ex as Azure.RequestFailedException)?.ErrorCode);
        }

        Keep(records, reason);
    }

    private void Keep(IReadOnlyList<AuditRecord> records, string reason)
    {
        _metrics.AuditFailure(reason, records.Count);
        LogWriteFailed(_logger, reason, records.Count, TokenIds(records));
        foreach (var record in records)
        {
            LogFallback(_logger, JsonSerializer.Serialize(AuditRecordDto.From(record), AuditJsonContext.Default.AuditRecordDto));
        }

        var rejected = _buffer.TryAdd(records);
        if (rejected.Count > 0)
        {
            _metrics.AuditFailure(AuditFailureReason.Dropped, rejected.Count);
            LogBufferFull(_logger, rejected.Count, TokenIds(rejected));
        }
    }

    internal static string TokenIds(IEnumerable<AuditRecord> records) =>
        string.Join(',', records.Select(r => r.TokenId?.Value).OfType<string>().Distinct(StringComparer.Ordinal));

    [LoggerMessage(EventId = 7101, Level = LogLevel.Warning, Message = "Audit store write failed ({Reason}); {Count} record(s) for tokens [{TokenIds}] kept in the fallback log and the retry buffer")]
    private static partial void LogWriteFailed(ILogger logger, string reason, int count, string tokenIds);

    [LoggerMessage(EventId = 7102, Level = LogLevel.Warning, Message = "AuditFallback {AuditRecord}")]
    private static partial void LogFallback(ILogger logger, string auditRecord);

    [LoggerMessage(EventId = 7103, Level = LogLevel.Error, Message = "Audit retry buffer full: {Count} record(s) for tokens [{TokenIds}] remain only in the AuditFallback log lines")]
    private static partial void LogBufferFull(ILogger logger, int count, string tokenIds);

    // Type and service error code only: exception messages can carry request URLs.
    [LoggerMessage(EventId = 7104, Level = LogLevel.Debug, Message = "Audit store threw {ExceptionType} ({ErrorCode})")]
    private static partial void LogStoreException(ILogger logger, string exceptionType, string? errorCode);
}
