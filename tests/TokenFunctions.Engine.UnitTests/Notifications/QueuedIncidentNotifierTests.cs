using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using TokenFunctions.Engine.Notifications;
using TokenFunctions.Engine.Telemetry;
using static TokenFunctions.Engine.UnitTests.Notifications.NotificationTestData;
using OptionsFactory = Microsoft.Extensions.Options.Options;

namespace TokenFunctions.Engine.UnitTests.Notifications;

public sealed class QueuedIncidentNotifierTests : IDisposable
{
    private readonly ServiceProvider _services = new ServiceCollection().AddFakeLogging().AddTokenFunctionsTelemetry().BuildServiceProvider();
    private readonly MetricCollector<long> _failures;

    public QueuedIncidentNotifierTests() =>
        _failures = new MetricCollector<long>(_services.GetRequiredService<IMeterFactory>(), TokenFunctionsMetrics.MeterName, "tokenfunctions.notifications.failures");

    public void Dispose()
    {
        _failures.Dispose();
        _services.Dispose();
    }

    [Fact]
    public void Notifying_completes_synchronously_even_though_nothing_is_sending()
    {
        var (notifier, queue) = Create(capacity: 10, new FakeChannel("slack"));

        var task = notifier.NotifyAsync(Mixed(), CancellationToken.None);

        Assert.True(task.IsCompletedSuccessfully);
        Assert.Equal(1, queue.Count);
        Assert.Empty(_failures.GetMeasurementSnapshot());
    }

    [Fact]
    public void A_full_queue_is_counted_and_logged_but_never_waited_for()
    {
        var (notifier, queue) = Create(capacity: 1, new FakeChannel("slack"));

        Assert.True(notifier.NotifyAsync(Mixed("a"), CancellationToken.None).IsCompletedSuccessfully);
        var overflow = notifier.NotifyAsync(Mixed("b"), CancellationToken.None);

        Assert.True(overflow.IsCompletedSuccessfully);
        Assert.Equal(1, queue.Count);
        var measurement = Assert.Single(_failures.GetMeasurementSnapshot());
        Assert.Equal("queue", measurement.Tags["channel"]);
        var log = Assert.Single(_services.GetFakeLogCollector().GetSnapshot(), l => l.Id.Id == 7201);
        Assert.Contains("dt0c01.ST2EY72KQINMH574WMNVI7YN", log.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(SecretPart, log.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Nothing_is_queued_without_a_configured_channel_or_without_tokens()
    {
        var (unconfigured, unconfiguredQueue) = Create(capacity: 10, new FakeChannel("slack", configured: false));
        var (notifier, queue) = Create(capacity: 10, new FakeChannel("teams"));

        unconfigured.NotifyAsync(Mixed(), CancellationToken.None);
        notifier.NotifyAsync(Mixed() with { Tokens = [] }, CancellationToken.None);

        Assert.Equal(0, unconfiguredQueue.Count);
        Assert.Equal(0, queue.Count);
    }

    [Fact]
    public void Dry_runs_can_be_kept_quiet()
    {
        var (notifier, queue) = Create(capacity: 10, new FakeChannel("teams"), notifyDryRun: false);

        notifier.NotifyAsync(Mixed(dryRun: true), CancellationToken.None);
        notifier.NotifyAsync(Mixed(dryRun: false), CancellationToken.None);

        Assert.Equal(1, queue.Count);
    }

    private (QueuedIncidentNotifier Notifier, NotificationQueue Queue) Create(int capacity, FakeChannel channel, bool notifyDryRun = true)
    {
        var options = OptionsFactory.Create(new NotificationOptions { QueueCapacity = capacity, NotifyDryRun = notifyDryRun });
        var queue = new NotificationQueue(options);
        var notifier = new QueuedIncidentNotifier(
            queue,
            [channel],
            _services.GetRequiredService<TokenFunctionsMetrics>(),
            _services.GetRequiredService<ILogger<QueuedIncidentNotifier>>(),
            options);
        return (notifier, queue);
    }
}
