using Microsoft.Extensions.Time.Testing;
using TokenFunctions.Engine.Incidents.Messages;

namespace TokenFunctions.Engine.Incidents.Testing;

/// <summary>
/// Plays Service Bus for the processor on a fake clock: messages wait until their <c>ScheduledEnqueueTime</c>, an abandoned
/// delivery comes back at once with a higher delivery count, duplicate message ids are dropped, and a completion or dead
/// letter removes the message. <see cref="RunAsync"/> advances the clock to the next due message, so a day-long outage
/// runs in milliseconds. The processor sends through <see cref="Sender"/> (give it to the host).
/// </summary>
public sealed class ScheduledBroker
{
    private readonly IncidentTestHost _host;
    private readonly List<Queued> _queue = [];
    private readonly HashSet<string> _seenIds = new(StringComparer.Ordinal);

    public ScheduledBroker(IncidentTestHost host)
    {
        _host = host;
        Sender = new RecordingIncidentMessageSender { OnSent = Queue };
    }

    /// <summary>Where senders put messages: each one sent is queued for delivery at its scheduled time.</summary>
    public RecordingIncidentMessageSender Sender { get; }

    public IReadOnlyList<OutgoingIncidentMessage> Sent => Sender.Sent;

    public List<(DateTimeOffset At, string MessageId, int DeliveryCount, SettlementDecision Decision)> Deliveries { get; } = [];

    public List<SettlementDecision.DeadLetter> DeadLetters { get; } = [];

    /// <summary>When set, sending throws (Service Bus down for senders).</summary>
    public bool FailSends
    {
        get => Sender.Failure is not null;
        set => Sender.Failure = value ? new InvalidOperationException("Service Bus is unavailable (simulated)") : null;
    }

    /// <summary>Enqueues <paramref name="json"/> now, then delivers every due message (advancing the clock to the next one) until the queue is empty.</summary>
    public async Task RunAsync(string json, string messageId = "message-1", int maxDeliveries = 10_000)
    {
        _seenIds.Add(messageId);
        _queue.Add(new Queued(System.Text.Encoding.UTF8.GetBytes(json), messageId, _host.Time.GetUtcNow(), "disable"));
        while (_queue.Count > 0 && Deliveries.Count < maxDeliveries)
        {
            var next = _queue.OrderBy(q => q.DueAt).First();
            if (next.DueAt > _host.Time.GetUtcNow())
            {
                _host.Time.Advance(next.DueAt - _host.Time.GetUtcNow());
            }

            var incoming = new IncomingIncidentMessage(next.Body, next.MessageId, next.DeliveryCount, next.DueAt) { Subject = next.Subject };
            var decision = await _host.Processor().ProcessAsync(incoming, CancellationToken.None);
            Deliveries.Add((_host.Time.GetUtcNow(), next.MessageId, next.DeliveryCount, decision));
            _queue.Remove(next);
            switch (decision)
            {
                case SettlementDecision.Abandon:
                    _queue.Add(next with { DeliveryCount = next.DeliveryCount + 1 });
                    break;
                case SettlementDecision.DeadLetter deadLetter:
                    DeadLetters.Add(deadLetter);
                    break;
            }

            // Each delivery takes a moment.
            _host.Time.Advance(TimeSpan.FromSeconds(1));
        }
    }

    private void Queue(OutgoingIncidentMessage message)
    {
        if (_seenIds.Add(message.MessageId))
        {
            _queue.Add(new Queued(message.Body, message.MessageId, message.ScheduledEnqueueTime ?? _host.Time.GetUtcNow(), message.Subject));
        }
    }

    private sealed record Queued(ReadOnlyMemory<byte> Body, string MessageId, DateTimeOffset DueAt, string Subject)
    {
        public int DeliveryCount { get; init; } = 1;
    }
}
