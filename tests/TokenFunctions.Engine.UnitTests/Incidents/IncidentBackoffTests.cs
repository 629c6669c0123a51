using TokenFunctions.Engine.Incidents.Testing;
using TokenFunctions.Engine.Kill;

namespace TokenFunctions.Engine.Incidents;

/// <summary>
/// Outages ridden out: retryable work continues on messages scheduled with exponential backoff and jitter, each one a new
/// message (so Service Bus's delivery count never runs out), until the retry horizon; past it, one dead letter that says
/// what remains and what to do. Driven on a fake clock through a broker that honours scheduled enqueue times.
/// </summary>
public sealed class IncidentBackoffTests : IDisposable
{
    private readonly IncidentTestHost _host = new();
    private readonly ScheduledBroker _broker;

    public IncidentBackoffTests()
    {
        _broker = new ScheduledBroker(_host);
        _host.Sender = _broker.Sender;
    }

    public void Dispose() => _host.Dispose();

    private static string Disable(string incidentId = "INC-OUTAGE") =>
        $$"""{ "version": 1, "type": "disable", "incidentId": "{{incidentId}}", "tokens": ["{{TestTokens.ClassicId(1)}}", "{{TestTokens.ClassicId(2)}}"] }""";

    [Theory]
    [InlineData(1)]
    [InlineData(12)]
    public async Task An_outage_shorter_than_the_horizon_is_ridden_out_and_every_token_ends_disabled(int hours)
    {
        var outageEnds = _host.Time.GetUtcNow() + TimeSpan.FromHours(hours);
        _host.Kill.Decide = (_, _) => _host.Time.GetUtcNow() < outageEnds ? TokenOutcomeKind.Failed : TokenOutcomeKind.Disabled;

        await _broker.RunAsync(Disable());

        Assert.Empty(_broker.DeadLetters);
        Assert.Equal(2, _host.Kill.Disabled.Count);
        var last = _broker.Deliveries[^1];
        Assert.IsType<SettlementDecision.Complete>(last.Decision);
        Assert.Contains("finished", last.Decision.Summary, StringComparison.Ordinal);

        // It came back soon after the outage: at most one (capped) backoff delay later.
        Assert.InRange(last.At - outageEnds, TimeSpan.Zero, _host.Options.Retry.MaxDelay + TimeSpan.FromMinutes(1));

        // Every delivery is a first delivery of a new message: the delivery count is not what rides the outage out.
        Assert.All(_broker.Deliveries, d => Assert.Equal(1, d.DeliveryCount));
        // Doubling from 30 s passes an hour after 7 attempts, then one attempt per (jittered) hour.
        var attempts = _broker.Deliveries.Count - 1;
        Assert.InRange(attempts, 7, 9 + (int)Math.Ceiling(hours / (1 - _host.Options.Retry.Jitter)));
        Assert.All(_broker.Sent, m => Assert.NotNull(m.ScheduledEnqueueTime));
    }

    [Fact]
    public async Task The_delays_grow_exponentially_with_jitter_up_to_the_cap()
    {
        _host.Kill.Decide = (_, _) => TokenOutcomeKind.Failed;
        _host.Options.Retry.Horizon = TimeSpan.FromHours(6);

        await _broker.RunAsync(Disable());

        var gaps = _broker.Sent.Zip(_broker.Deliveries, (sent, delivered) => sent.ScheduledEnqueueTime!.Value - delivered.At).ToList();
        var retry = _host.Options.Retry;
        for (var i = 0; i < gaps.Count; i++)
        {
            var full = TimeSpan.FromTicks(Math.Min(retry.MaxDelay.Ticks, retry.FirstDelay.Ticks << Math.Min(i, 30)));
            Assert.InRange(gaps[i], full * (1 - retry.Jitter) - TimeSpan.FromSeconds(1), full);
        }

        Assert.InRange(gaps.Max(), retry.MaxDelay * (1 - retry.Jitter), retry.MaxDelay);
        Assert.Equal(_broker.Sent.Count, _broker.Sent.Select(m => m.MessageId).Distinct().Count());
    }

    [Fact]
    public async Task A_scheduled_continuation_shows_in_the_queue_what_is_failing_and_when_it_is_retried()
    {
        var outageEnds = _host.Time.GetUtcNow() + TimeSpan.FromMinutes(1);
        _host.Kill.Decide = (_, _) => _host.Time.GetUtcNow() < outageEnds ? TokenOutcomeKind.Failed : TokenOutcomeKind.Disabled;

        await _broker.RunAsync(Disable("INC-VISIBLE"));

        var first = _broker.Sent[0];
        var properties = first.ApplicationProperties;
        Assert.Equal("INC-VISIBLE", properties["tf-incident-id"]);
        Assert.Equal(2, Convert.ToInt32(properties["tf-failing"], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Contains("failed transiently", (string)properties["tf-last-result"], StringComparison.Ordinal);
        Assert.Equal(1, Convert.ToInt32(properties["tf-retry-attempt"], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(first.ScheduledEnqueueTime!.Value, DateTimeOffset.Parse((string)properties["tf-retry-at"], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(_broker.Deliveries[0].MessageId, properties["tf-continues"]);
    }

    [Fact]
    public async Task An_outage_past_the_horizon_ends_in_one_actionable_dead_letter_at_the_horizon()
    {
        var started = _host.Time.GetUtcNow();
        _host.Kill.Decide = (_, _) => TokenOutcomeKind.Failed;

        await _broker.RunAsync(Disable());

        var deadLetter = Assert.Single(_broker.DeadLetters);
        Assert.Equal(DeadLetterReasons.RetriesExhausted, deadLetter.Reason);
        Assert.Contains("INC-OUTAGE", deadLetter.Description, StringComparison.Ordinal);
        Assert.Contains(TestTokens.ClassicId(1), deadLetter.Description, StringComparison.Ordinal);
        Assert.Contains("Incidents:Retry:Horizon", deadLetter.Description, StringComparison.Ordinal);
        Assert.Contains("resubmit", deadLetter.Description, StringComparison.OrdinalIgnoreCase);
        var rode = _broker.Deliveries[^1].At - started;
        Assert.InRange(rode, _host.Options.Retry.Horizon - _host.Options.Retry.MaxDelay - TimeSpan.FromMinutes(5), _host.Options.Retry.Horizon + TimeSpan.FromMinutes(1));
        Assert.Empty(_host.Kill.Disabled);
    }

    [Fact]
    public async Task A_resubmitted_dead_letter_gets_a_whole_horizon_again()
    {
        _host.Options.Retry.Horizon = TimeSpan.FromHours(2);
        _host.Kill.Decide = (_, _) => TokenOutcomeKind.Failed;
        await _broker.RunAsync(Disable());
        Assert.Single(_broker.DeadLetters);

        var resubmitted = _host.Time.GetUtcNow();
        var outageEnds = resubmitted + TimeSpan.FromMinutes(90);
        _host.Kill.Decide = (_, _) => _host.Time.GetUtcNow() < outageEnds ? TokenOutcomeKind.Failed : TokenOutcomeKind.Disabled;
        await _broker.RunAsync(Disable(), messageId: "resubmitted-1");

        Assert.Single(_broker.DeadLetters);
        Assert.Equal(2, _host.Kill.Disabled.Count);
    }

    [Fact]
    public async Task A_spent_work_budget_continues_at_once_without_counting_as_a_retry()
    {
        _host.Options.WorkBudgetPerDelivery = TimeSpan.FromMilliseconds(50);
        _host.Options.BatchSize = 1;

        await _broker.RunAsync(Disable());

        Assert.Empty(_broker.DeadLetters);
        Assert.Equal(2, _host.Kill.Disabled.Count);
        Assert.All(_broker.Sent, m => Assert.Null(m.ScheduledEnqueueTime));
        Assert.True(_broker.Sent.Count >= 1);
    }

    [Fact]
    public async Task When_the_continuation_cannot_be_sent_the_delivery_is_abandoned_and_nothing_is_lost()
    {
        var outageEnds = _host.Time.GetUtcNow() + TimeSpan.FromSeconds(3);
        _host.Kill.Decide = (_, _) => _host.Time.GetUtcNow() < outageEnds ? TokenOutcomeKind.Failed : TokenOutcomeKind.Disabled;
        _broker.FailSends = true;

        await _broker.RunAsync(Disable());

        Assert.IsType<SettlementDecision.Abandon>(_broker.Deliveries[0].Decision);
        Assert.Equal(2, _broker.Deliveries[1].DeliveryCount);
        Assert.Empty(_broker.DeadLetters);
        Assert.Equal(2, _host.Kill.Disabled.Count);
    }

    [Fact]
    public void The_schedule_is_exponential_capped_and_jittered_downwards_only()
    {
        var options = new IncidentRetryOptions { FirstDelay = TimeSpan.FromSeconds(30), MaxDelay = TimeSpan.FromHours(1), Jitter = 0.2 };

        Assert.Equal(TimeSpan.FromSeconds(30), RetrySchedule.DelayFor(options, 1, 0));
        Assert.Equal(TimeSpan.FromSeconds(60), RetrySchedule.DelayFor(options, 2, 0));
        Assert.Equal(TimeSpan.FromMinutes(32), RetrySchedule.DelayFor(options, 7, 0));
        Assert.Equal(TimeSpan.FromHours(1), RetrySchedule.DelayFor(options, 8, 0));
        Assert.Equal(TimeSpan.FromHours(1), RetrySchedule.DelayFor(options, 500, 0));
        Assert.Equal(TimeSpan.FromSeconds(24), RetrySchedule.DelayFor(options, 1, 1));
        var start = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        Assert.Null(RetrySchedule.Next(options, start + TimeSpan.FromHours(23.5), start, 30, 0));
        Assert.Equal(start + TimeSpan.FromHours(23), RetrySchedule.Next(options, start + TimeSpan.FromHours(22), start, 30, 0));
    }
}
