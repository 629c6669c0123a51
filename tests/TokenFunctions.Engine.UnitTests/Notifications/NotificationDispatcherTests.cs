using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;
using TokenFunctions.Engine.Notifications;
using TokenFunctions.Engine.Telemetry;
using static TokenFunctions.Engine.UnitTests.Notifications.NotificationTestData;
using OptionsFactory = Microsoft.Extensions.Options.Options;

namespace TokenFunctions.Engine.UnitTests.Notifications;

public sealed class NotificationDispatcherTests : IDisposable
{
    private readonly ServiceProvider _services = new ServiceCollection().AddFakeLogging().AddTokenFunctionsTelemetry().BuildServiceProvider();
    private readonly MetricCollector<long> _failures;
    private readonly MetricCollector<long> _sent;
    private readonly FakeTimeProvider _time = new(T0);

    /// <summary>Zero unless a test is about coalescing: the other tests see each part sent as soon as it is read.</summary>
    private TimeSpan _quietPeriod = TimeSpan.Zero;

    private readonly SemaphoreSlim _idle = new(0);
    private long _idleAfterReading = -1;
    private long _enqueued;

    public NotificationDispatcherTests()
    {
        var meters = _services.GetRequiredService<IMeterFactory>();
        _failures = new MetricCollector<long>(meters, TokenFunctionsMetrics.MeterName, "tokenfunctions.notifications.failures");
        _sent = new MetricCollector<long>(meters, TokenFunctionsMetrics.MeterName, "tokenfunctions.notifications.sent");
    }

    public void Dispose()
    {
        _failures.Dispose();
        _sent.Dispose();
        _services.Dispose();
        _idle.Dispose();
    }

    [Fact]
    public async Task Summaries_of_one_incident_waiting_together_become_one_message()
    {
        var slack = new FakeChannel("slack");
        var (dispatcher, queue) = Create(slack);
        queue.TryEnqueue(Mixed("inc-1"));
        queue.TryEnqueue(Many(3, "inc-1"));
        queue.TryEnqueue(Mixed("inc-2"));

        await dispatcher.StartAsync(CancellationToken.None);
        await _sent.WaitForMeasurementsAsync(2, TimeSpan.FromSeconds(30));
        await dispatcher.StopAsync(CancellationToken.None);

        Assert.Equal(2, slack.Sent.Count);
        Assert.Equal(7, slack.Sent.Single(v => v.Summary.CorrelationId == "inc-1").Tokens.Count);
    }

    [Fact]
    public async Task Parts_of_a_queued_kill_switch_arriving_apart_become_one_message_after_a_quiet_period()
    {
        _quietPeriod = TimeSpan.FromSeconds(5);
        var slack = new FakeChannel("slack");
        var (dispatcher, queue) = Create(slack);
        await dispatcher.StartAsync(CancellationToken.None);

        // Batch after batch of one incident, each within the quiet period of the last.
        await EnqueueAndSettleAsync(queue, Many(3, "inc-big"));
        _time.Advance(TimeSpan.FromSeconds(4));
        await EnqueueAndSettleAsync(queue, Mixed("inc-big"));
        _time.Advance(TimeSpan.FromSeconds(4));
        Assert.Empty(slack.Sent); // 8 s after the first part, but only 4 s after the last

        _time.Advance(TimeSpan.FromSeconds(1));
        await _sent.WaitForMeasurementsAsync(1, TimeSpan.FromSeconds(30));
        await dispatcher.StopAsync(CancellationToken.None);

        var view = Assert.Single(slack.Sent);
        Assert.Equal("inc-big", view.Summary.CorrelationId);
        Assert.Equal(7, view.Tokens.Count);
    }

    [Fact]
    public async Task A_never_quiet_kill_switch_is_still_reported_within_the_max_delay()
    {
        _quietPeriod = TimeSpan.FromSeconds(5);
        var slack = new FakeChannel("slack");
        var (dispatcher, queue) = Create(slack);
        await dispatcher.StartAsync(CancellationToken.None);

        // A part every 4 s: never quiet for 5 s. The 60 s cap sends what has gathered by then.
        for (var i = 0; i < 15; i++)
        {
            await EnqueueAndSettleAsync(queue, Many(3, "inc-long"));
            Assert.Empty(slack.Sent);
            _time.Advance(TimeSpan.FromSeconds(4));
        }

        await _sent.WaitForMeasurementsAsync(1, TimeSpan.FromSeconds(30));
        await dispatcher.StopAsync(CancellationToken.None);

        Assert.Equal("inc-long", Assert.Single(slack.Sent).Summary.CorrelationId);
    }

    [Fact]
    public async Task A_held_incident_does_not_hold_up_another()
    {
        _quietPeriod = TimeSpan.FromSeconds(5);
        var slack = new FakeChannel("slack");
        var (dispatcher, queue) = Create(slack);
        await dispatcher.StartAsync(CancellationToken.None);

        await EnqueueAndSettleAsync(queue, Mixed("inc-a"));
        _time.Advance(TimeSpan.FromSeconds(3));
        await EnqueueAndSettleAsync(queue, Mixed("inc-b"));
        _time.Advance(TimeSpan.FromSeconds(2));
        await _sent.WaitForMeasurementsAsync(1, TimeSpan.FromSeconds(30));
        await EnqueueAndSettleAsync(queue);
        Assert.Equal("inc-a", Assert.Single(slack.Sent).Summary.CorrelationId);

        _time.Advance(TimeSpan.FromSeconds(3));
        await _sent.WaitForMeasurementsAsync(2, TimeSpan.FromSeconds(30));
        await dispatcher.StopAsync(CancellationToken.None);

        Assert.Equal(["inc-a", "inc-b"], slack.Sent.Select(v => v.Summary.CorrelationId));
    }

    /// <summary>Enqueues the parts, then waits until the dispatcher has read all of them and waits; only then may the clock move.</summary>
    private async Task EnqueueAndSettleAsync(NotificationQueue queue, params IncidentSummary[] parts)
    {
        foreach (var part in parts)
        {
            Assert.True(queue.TryEnqueue(part));
            _enqueued++;
        }

        while (Volatile.Read(ref _idleAfterReading) != _enqueued)
        {
            Assert.True(await _idle.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken), "the dispatcher did not settle");
        }
    }

    [Fact]
    public async Task A_failing_or_throwing_channel_is_counted_and_does_not_stop_the_others()
    {
        var teams = new FakeChannel("teams") { Respond = (_, _) => Task.FromResult(NotificationResult.Failed("status-500")) };
        var slack = new FakeChannel("slack") { Respond = (_, _) => throw new InvalidOperationException("bug") };
        var generic = new FakeChannel("generic");
        var (dispatcher, queue) = Create(teams, slack, generic);
        queue.TryEnqueue(Mixed());

        await dispatcher.StartAsync(CancellationToken.None);
        await _failures.WaitForMeasurementsAsync(2, TimeSpan.FromSeconds(30));
        await _sent.WaitForMeasurementsAsync(1, TimeSpan.FromSeconds(30));
        await dispatcher.StopAsync(CancellationToken.None);

        Assert.Equal(["slack", "teams"], _failures.GetMeasurementSnapshot().Select(m => (string)m.Tags["channel"]!).Order());
        Assert.Equal("generic", Assert.Single(_sent.GetMeasurementSnapshot()).Tags["channel"]);
        var logs = _services.GetFakeLogCollector().GetSnapshot().Where(l => l.Id.Id == 7212).ToList();
        Assert.Equal(2, logs.Count);
        Assert.All(logs, l => Assert.Contains("incident-1", l.Message, StringComparison.Ordinal));
        Assert.Contains(logs, l => l.Message.Contains("status-500", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_redelivered_incident_with_the_same_outcomes_is_announced_once()
    {
        var slack = new FakeChannel("slack");
        var (dispatcher, queue) = Create(slack);

        await dispatcher.StartAsync(CancellationToken.None);
        queue.TryEnqueue(Mixed());
        await _sent.WaitForMeasurementsAsync(1, TimeSpan.FromSeconds(30));
        queue.TryEnqueue(Mixed());
        queue.TryEnqueue(Mixed("incident-other"));
        await _sent.WaitForMeasurementsAsync(2, TimeSpan.FromSeconds(30));
        await dispatcher.StopAsync(CancellationToken.None);

        Assert.Equal(["incident-1", "incident-other"], slack.Sent.Select(v => v.Summary.CorrelationId));
    }

    [Fact]
    public async Task Views_resolve_owner_contacts_from_options()
    {
        var slack = new FakeChannel("slack");
        var (dispatcher, queue) = Create(slack);
        queue.TryEnqueue(Mixed());

        await dispatcher.StartAsync(CancellationToken.None);
        var view = await slack.FirstSend.Task.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        await dispatcher.StopAsync(CancellationToken.None);

        Assert.Contains("<@U0ALICE>", view.Contacts);
    }

    private (NotificationDispatcher Dispatcher, NotificationQueue Queue) Create(params FakeChannel[] channels)
    {
        var source = Options();
        source.QueueCapacity = 100;
        source.CoalesceQuietPeriod = _quietPeriod;
        source.CoalesceMaxDelay = TimeSpan.FromSeconds(60);
        var options = OptionsFactory.Create(source);
        var queue = new NotificationQueue(options);
        var dispatcher = new NotificationDispatcher(
            queue,
            channels,
            _services.GetRequiredService<TokenFunctionsMetrics>(),
            _services.GetRequiredService<ILogger<NotificationDispatcher>>(),
            options,
            new IncidentDeduplicator(source.DuplicateWindow, _time),
            _time);
        dispatcher.Idle += read =>
        {
            Volatile.Write(ref _idleAfterReading, read);
            _idle.Release();
        };
        return (dispatcher, queue);
    }
}
