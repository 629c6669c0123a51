using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TokenFunctions.Engine.Telemetry;

namespace TokenFunctions.Engine.Audit;

/// <summary>
/// The one component that decides what an audit write failure means, the same in the function app and the CLI: the
/// kill, the sources, the rotation and the CLI all write through it, over whichever store is registered as
/// <see cref="IAuditSink"/> (Table Storage in Azure, the CLI's file). An audit write must never block or fail a decision
/// already taken, so it waits at most <see cref="AuditOptions.WriteTimeout"/> for the store (whatever the caller's own
/// cancellation says) and never throws. When the store fails, each record is (1) counted in
/// <c>tokenfunctions.audit.failures</c>, (2) written as one structured fallback log line (<c>AuditFallback</c>, the
/// redacted record as JSON) so it survives even if this process dies, and (3) kept in the bounded
/// <see cref="AuditRetryBuffer"/>, which <see cref="AuditRetryService"/> drains into the store when it is back. Retrying
/// cannot duplicate: a record's row key is derived from its content (<see cref="AuditKeys"/>).
/// </summary>
public sealed partial class AuditWriter : IAuditSink
{
    private readonly IAuditSink _store;
    private readonly AuditRetryBuffer _buffer;
    private readonly TokenFunctionsMetrics _metrics;
    private readonly ILogger _logger;
    private readonly TimeProvider _timeProvider;
    private readonly TimeSpan _writeTimeout;

    /// <param name="store">The durable store itself (what is registered as <see cref="IAuditSink"/>).</param>
    public AuditWriter(
        IAuditSink store,
        AuditRetryBuffer buffer,
        TokenFunctionsMetrics metrics,
        ILogger<AuditWriter> logger,
        IOptions<AuditOptions> options,
        TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(options);
        _store = store is AuditWriter writer ? writer._store : store;
        _buffer = buffer;
        _metrics = metrics;
        _logger = logger;
        _timeProvider = timeProvider;
        _writeTimeout = options.Value.WriteTimeout;
    }

    /// <summary>
    /// Writes <paramref name="records"/>: <see cref="AuditWriteResult.Written"/>, <see cref="AuditWriteResult.Kept"/> (the
    /// store failed; the records are in the fallback log and wait in the retry buffer) or <see cref="AuditWriteResult.Lost"/>
    /// (the buffer was full too: only the fallback log lines have them). Never throws.
    /// </summary>
    public async Task<AuditWriteResult> TryWriteAsync(IReadOnlyList<AuditRecord> records)
    {
        if (records is null || records.Count == 0)
        {
            return AuditWriteResult.Written;
        }

        // Not the caller's token: a decision already taken is recorded even when the caller gives up (deadline, Ctrl+C).
        using var timeout = new CancellationTokenSource(_writeTimeout, _timeProvider);
        string reason;
        try
        {
            await _store.WriteAsync(records, timeout.Token).ConfigureAwait(false);
            return AuditWriteResult.Written;
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            reason = AuditFailureReason.Timeout;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            reason = AuditFailureReason.Of(ex);
            LogStoreException(_logger, ex.GetType().Name, (ex as Azure.RequestFailedException)?.ErrorCode);
        }

        return Keep(records, reason);
    }

    /// <summary><see cref="IAuditSink"/> for callers that only need "never throws": <see cref="TryWriteAsync"/>.</summary>
    Task IAuditSink.WriteAsync(IReadOnlyList<AuditRecord> records, CancellationToken cancellationToken) => TryWriteAsync(records);

    private AuditWriteResult Keep(IReadOnlyList<AuditRecord> records, string reason)
    {
        _metrics.AuditFailure(reason, records.Count);
        LogWriteFailed(_logger, reason, records.Count, TokenIds(records));
        foreach (var record in records)
        {
            LogFallback(_logger, JsonSerializer.Serialize(AuditRecordDto.From(record), AuditJsonContext.Default.AuditRecordDto));
        }

        var rejected = _buffer.TryAdd(records);
        if (rejected.Count == 0)
        {
            return AuditWriteResult.Kept;
        }

        _metrics.AuditFailure(AuditFailureReason.Dropped, rejected.Count);
        LogBufferFull(_logger, rejected.Count, TokenIds(rejected));
        return AuditWriteResult.Lost;
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

/// <summary>What became of an audit write (<see cref="AuditWriter.TryWriteAsync"/>).</summary>
public enum AuditWriteResult
{
    /// <summary>In the store.</summary>
    Written,

    /// <summary>The store failed: in the fallback log lines and the retry buffer, written when the store is back.</summary>
    Kept,

    /// <summary>The store failed and the retry buffer was full: only in the fallback log lines.</summary>
    Lost,
}
