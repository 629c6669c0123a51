using System.Diagnostics.Metrics;
using Azure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;
using TokenFunctions.Engine.Audit;
using TokenFunctions.Engine.Telemetry;
using static TokenFunctions.Engine.UnitTests.Audit.AuditTestData;

namespace TokenFunctions.Engine.UnitTests.Audit;

public sealed class AuditRetryServiceTests : IDisposable
{
    private readonly ServiceProvider _services;
    private readonly MetricCollector<long> _failures;
    private readonly IOptions<AuditOptions> _options = Options.Create(new AuditOptions
    {
        ConnectionString = "x",
        RetryAttempts = 3,
        RetryBaseDelay = TimeSpan.Zero,
        RetryBufferCapacity = 100,
    });

    public AuditRetryServiceTests()
    {
        _services = new ServiceCollection().AddFakeLogging().AddTokenFunctionsTelemetry().BuildServiceProvider();
        _failures = new MetricCollector<long>(_services.GetRequiredService<IMeterFactory>(), TokenFunctionsMetrics.MeterName, "tokenfunctions.audit.failures");
    }

    public void Dispose()
    {
        _failures.Dispose();
        _services.Dispose();
    }

    [Fact]
    public async Task Buffered_records_reach_the_store_once_it_recovers()
    {
        var store = new RecordingAuditSink { Failure = new RequestFailedException(503, "busy"), FailFirst = 2 };
        var buffer = new AuditRetryBuffer(_options);
        buffer.TryAdd([Record(TokenA), Record(TokenB)]);
        using var service = Service(store, buffer);

        await service.StartAsync(CancellationToken.None);
        var written = await store.FirstRecorded.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        await service.StopAsync(CancellationToken.None);

        Assert.Equal([TokenA, TokenB], written.Select(r => r.TokenId!.Value));
        Assert.Equal(3, store.Writes);
        Assert.Equal(0, buffer.Count);
        Assert.Contains(_services.GetFakeLogCollector().GetSnapshot(), l => l.Id.Id == 7111);
    }

    [Fact]
    public async Task Records_the_service_rejects_as_invalid_are_dropped_not_retried_forever()
    {
        var store = new RecordingAuditSink { Failure = new RequestFailedException(400, "bad entity") };
        var buffer = new AuditRetryBuffer(_options);
        buffer.TryAdd([Record(TokenA)]);
        using var service = Service(store, buffer);

        await service.StartAsync(CancellationToken.None);
        await _failures.WaitForMeasurementsAsync(1, TimeSpan.FromSeconds(30));
        await service.StopAsync(CancellationToken.None);

        Assert.Equal(1, store.Writes);
        Assert.Equal("rejected", Assert.Single(_failures.GetMeasurementSnapshot()).Tags["reason"]);
        Assert.Equal(0, buffer.Count);
    }

    [Fact]
    public async Task Records_still_waiting_at_shutdown_are_counted_and_logged()
    {
        var store = new RecordingAuditSink { Hang = true };
        var buffer = new AuditRetryBuffer(_options);
        buffer.TryAdd([Record(TokenA), Record(TokenB)]);
        using var service = Service(store, buffer);

        await service.StartAsync(CancellationToken.None);
        await store.Started.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        await service.StopAsync(CancellationToken.None);

        var shutdown = _failures.GetMeasurementSnapshot().Where(m => (string?)m.Tags["reason"] == "shutdown").Sum(m => m.Value);
        Assert.Equal(2, shutdown);
        Assert.Contains(_services.GetFakeLogCollector().GetSnapshot(), l => l.Id.Id == 7113 && l.Message.Contains("dt0s16.TYUHJKNM", StringComparison.Ordinal));
    }

    private AuditRetryService Service(IAuditSink store, AuditRetryBuffer buffer) => new(
        store,
        buffer,
        _services.GetRequiredService<TokenFunctionsMetrics>(),
        _services.GetRequiredService<ILogger<AuditRetryService>>(),
        _options,
        TimeProvider.System);
}
