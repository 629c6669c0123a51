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
        var options = OptionsFactory.Create(source);
        var queue = new NotificationQueue(options);
        var dispatcher = new NotificationDispatcher(
            queue,
            channels,
            _services.GetRequiredService<TokenFunctionsMetrics>(),
            _services.GetRequiredService<ILogger<NotificationDispatcher>>(),
            options,
            _time);
        return (dispatcher, queue);
    }
}
