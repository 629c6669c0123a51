using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Retry;
using Polly.Timeout;
using TokenFunctions.Engine.Telemetry;

namespace TokenFunctions.Engine.Audit;

/// <summary>
/// Drains <see cref="AuditRetryBuffer"/> into the store in batches, with Polly's exponential backoff. A batch that still
/// fails goes back to the end of the buffer (or, when it is full, is left to its fallback log lines); a batch the
/// service rejects as invalid is dropped, because retrying cannot fix it.
/// </summary>
public sealed partial class AuditRetryService : BackgroundService
{
    private readonly IAuditSink _store;
    private readonly AuditRetryBuffer _buffer;
    private readonly TokenFunctionsMetrics _metrics;
    private readonly ILogger _logger;
    private readonly ResiliencePipeline _pipeline;

    /// <param name="store">The durable store itself, not the resilient wrapper.</param>
    public AuditRetryService(
        IAuditSink store,
        AuditRetryBuffer buffer,
        TokenFunctionsMetrics metrics,
        ILogger<AuditRetryService> logger,
        IOptions<AuditOptions> options,
        TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(options);
        _store = store;
        _buffer = buffer;
        _metrics = metrics;
        _logger = logger;
        var o = options.Value;
        _pipeline = new ResiliencePipelineBuilder { TimeProvider = timeProvider }
            .AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = o.RetryAttempts,
                Delay = o.RetryBaseDelay,
                MaxDelay = TimeSpan.FromMinutes(5),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                ShouldHandle = new PredicateBuilder().Handle<Exception>(AuditFailureReason.IsTransient),
            })
            .AddTimeout(new TimeoutStrategyOptions { Timeout = TimeSpan.FromSeconds(30) })
            .Build();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var reader = _buffer.Reader;
        var batch = new List<AuditRecord>(AuditTableStore.MaxBatch);
        try
        {
            while (await reader.WaitToReadAsync(stoppingToken).ConfigureAwait(false))
            {
                batch.Clear();
                while (batch.Count < AuditTableStore.MaxBatch && reader.TryRead(out var record))
                {
                    batch.Add(record);
                }

                await RetryAsync(batch, stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: fall through and report what is left.
        }

        var left = new List<AuditRecord>(batch);
        while (reader.TryRead(out var record))
        {
            left.Add(record);
        }

        if (left.Count > 0)
        {
            _metrics.AuditFailure(AuditFailureReason.Shutdown, left.Count);
            LogLostOnShutdown(_logger, left.Count, AuditWriter.TokenIds(left));
        }
    }

    private async Task RetryAsync(List<AuditRecord> batch, CancellationToken stoppingToken)
    {
        try
        {
            var records = batch.ToArray();
            await _pipeline.ExecuteAsync(async ct => await _store.WriteAsync(records, ct).ConfigureAwait(false), stoppingToken).ConfigureAwait(false);
            batch.Clear();
            LogRecovered(_logger, records.Length, AuditWriter.TokenIds(records));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            var reason = AuditFailureReason.Of(ex);
            if (!AuditFailureReason.IsTransient(ex))
            {
                _metrics.AuditFailure(reason, batch.Count);
                LogDropped(_logger, batch.Count, AuditWriter.TokenIds(batch), ex.GetType().Name);
                batch.Clear();
                return;
            }

            var rejected = _buffer.TryAdd(batch);
            batch.Clear();
            if (rejected.Count > 0)
            {
                _metrics.AuditFailure(AuditFailureReason.Dropped, rejected.Count);
                LogDropped(_logger, rejected.Count, AuditWriter.TokenIds(rejected), "buffer full");
            }
        }
    }

    [LoggerMessage(EventId = 7111, Level = LogLevel.Information, Message = "Audit store recovered: {Count} buffered record(s) for tokens [{TokenIds}] written")]
    private static partial void LogRecovered(ILogger logger, int count, string tokenIds);

    [LoggerMessage(EventId = 7112, Level = LogLevel.Error, Message = "Audit retry gave up on {Count} record(s) for tokens [{TokenIds}] ({Why}); they remain only in the AuditFallback log lines")]
    private static partial void LogDropped(ILogger logger, int count, string tokenIds, string why);

    [LoggerMessage(EventId = 7113, Level = LogLevel.Error, Message = "Host stopping with {Count} audit record(s) for tokens [{TokenIds}] not yet in the store; they remain in the AuditFallback log lines")]
    private static partial void LogLostOnShutdown(ILogger logger, int count, string tokenIds);
}
