using System.Diagnostics.Metrics;
using Azure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using TokenFunctions.Engine.Audit;
using TokenFunctions.Engine.Telemetry;
using static TokenFunctions.Engine.UnitTests.Audit.AuditTestData;

namespace TokenFunctions.Engine.UnitTests.Audit;

public sealed class AuditWriterTests : IDisposable
{
    private readonly ServiceProvider _services;
    private readonly FakeTimeProvider _time = new(T0);
    private readonly FakeLogCollector _logs;
    private readonly MetricCollector<long> _failures;
    private readonly RecordingAuditSink _inner = new();
    private readonly AuditRetryBuffer _buffer;
    private readonly AuditWriter _sink;

    public AuditWriterTests()
    {
        _services = new ServiceCollection().AddFakeLogging(o => o.CollectRecordsForDisabledLogLevels = true).AddTokenFunctionsTelemetry().BuildServiceProvider();
        _logs = _services.GetFakeLogCollector();
        _failures = new MetricCollector<long>(_services.GetRequiredService<IMeterFactory>(), TokenFunctionsMetrics.MeterName, "tokenfunctions.audit.failures");
        var options = Options.Create(new AuditOptions { ConnectionString = "x", WriteTimeout = TimeSpan.FromSeconds(5), RetryBufferCapacity = 3 });
        _buffer = new AuditRetryBuffer(options);
        _sink = new AuditWriter(
            _inner,
            _buffer,
            _services.GetRequiredService<TokenFunctionsMetrics>(),
            _services.GetRequiredService<ILogger<AuditWriter>>(),
            options,
            _time);
    }

    public void Dispose()
    {
        _failures.Dispose();
        _services.Dispose();
    }

    [Fact]
    public async Task A_healthy_store_gets_the_records_and_nothing_is_counted()
    {
        await _sink.TryWriteAsync([Record(TokenA)]);

        Assert.Equal(1, _inner.Writes);
        Assert.Single(_inner.Records);
        Assert.Empty(_failures.GetMeasurementSnapshot());
        Assert.Equal(0, _buffer.Count);
    }

    [Fact]
    public async Task A_failing_store_never_throws_and_keeps_every_record_counted_logged_and_buffered()
    {
        _inner.Failure = new RequestFailedException(503, "Server busy at https://acct.table.core.windows.net/audit?sig=SECRETSIG");
        var records = new[] { Record(TokenA, detail: "disabled " + Secret), Record(TokenB) };

        await _sink.TryWriteAsync(records);

        var measurement = Assert.Single(_failures.GetMeasurementSnapshot());
        Assert.Equal(2, measurement.Value);
        Assert.Equal("unavailable", measurement.Tags["reason"]);
        Assert.Equal(2, _buffer.Count);

        var lines = _logs.GetSnapshot();
        var summary = Assert.Single(lines, l => l.Id.Id == 7101);
        Assert.Contains("dt0c01.ST2EY72KQINMH574WMNVI7YN", summary.Message, StringComparison.Ordinal);
        Assert.Contains("dt0s16.TYUHJKNM", summary.Message, StringComparison.Ordinal);
        var fallback = lines.Where(l => l.Id.Id == 7102).ToList();
        Assert.Equal(2, fallback.Count);
        Assert.Contains("\"tokenId\":\"dt0c01.ST2EY72KQINMH574WMNVI7YN\"", fallback[0].Message, StringComparison.Ordinal);
        Assert.Contains("\"recordId\":", fallback[0].Message, StringComparison.Ordinal);
        Assert.All(lines, l =>
        {
            Assert.DoesNotContain(SecretPart, l.Message, StringComparison.Ordinal);
            Assert.DoesNotContain("SECRETSIG", l.Message, StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task A_hanging_store_is_abandoned_after_the_write_timeout()
    {
        _inner.Hang = true;

        var write = _sink.TryWriteAsync([Record(TokenA)]);
        Assert.False(write.IsCompleted);
        _time.Advance(TimeSpan.FromSeconds(5));
        await write;

        Assert.Equal("timeout", Assert.Single(_failures.GetMeasurementSnapshot()).Tags["reason"]);
        Assert.Equal(1, _buffer.Count);
    }

    [Fact]
    public async Task A_caller_that_gives_up_does_not_cut_the_write_of_a_decision_already_taken()
    {
        var release = new TaskCompletionSource();
        _inner.Before = _ => release.Task;
        using var cts = new CancellationTokenSource();

        var write = ((IAuditSink)_sink).WriteAsync([Record(TokenA)], cts.Token);
        await cts.CancelAsync();
        Assert.False(write.IsCompleted);
        release.SetResult();
        await write;

        Assert.Empty(_failures.GetMeasurementSnapshot());
        Assert.Equal(0, _buffer.Count);
    }

    [Fact]
    public async Task The_result_says_whether_the_records_were_written_kept_for_a_retry_or_lost()
    {
        Assert.Equal(AuditWriteResult.Written, await _sink.TryWriteAsync([Record(TokenA)]));

        _inner.Failure = new RequestFailedException(500, "down");
        Assert.Equal(AuditWriteResult.Kept, await _sink.TryWriteAsync([Record(TokenA), Record(TokenB)]));
        Assert.Equal(AuditWriteResult.Lost, await _sink.TryWriteAsync([Record(TokenA, at: T0.AddSeconds(1)), Record(TokenB, at: T0.AddSeconds(1))]));
    }

    [Fact]
    public async Task When_the_buffer_is_full_the_overflow_is_counted_as_dropped_and_logged_as_an_error()
    {
        _inner.Failure = new InvalidOperationException("boom");
        var records = Enumerable.Range(0, 5).Select(i => Record(TokenA, at: T0.AddSeconds(i))).ToArray();

        await _sink.TryWriteAsync(records);

        Assert.Equal(3, _buffer.Count);
        var byReason = _failures.GetMeasurementSnapshot().ToDictionary(m => (string)m.Tags["reason"]!, m => m.Value);
        Assert.Equal(5, byReason["error"]);
        Assert.Equal(2, byReason["dropped"]);
        Assert.Contains(_logs.GetSnapshot(), l => l.Id.Id == 7103 && l.Level == LogLevel.Error);
    }

    [Fact]
    public async Task An_empty_batch_is_not_written()
    {
        await _sink.TryWriteAsync([]);
        Assert.Equal(0, _inner.Writes);
    }
}
