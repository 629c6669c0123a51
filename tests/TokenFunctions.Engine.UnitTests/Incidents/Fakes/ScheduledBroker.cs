using Microsoft.Extensions.Time.Testing;
using TokenFunctions.Engine.Incidents.Messages;

namespace TokenFunctions.Engine.Incidents.Testing;

/// <summary>
/// Plays Service Bus for the processor on a fake clock: messages wait until their <c>ScheduledEnqueueTime</c>, an abandoned
/// delivery comes back at once with a higher delivery count, duplicate message ids are dropped, and a completion or dead
/// letter removes the message. <see cref="RunAsync"/> advances the clock to the next due message, so a day-long outage
/// runs in milliseconds.
/// </summary>
public sealed class ScheduledBroker(IncidentTestHost host) : IIncidentMessageSender
{
    private readonly List<Queued> _queue = [];
    private readonly HashSet<string> _seenIds = new(StringComparer.Ordinal);

    public List<OutgoingIncidentMessage> Sent { get; } = [];

    public List<(DateTimeOffset At, string MessageId, int DeliveryCount, SettlementDecision Decision)> Deliveries { get; } = [];

    public List<SettlementDecision.DeadLetter> DeadLetters { get; } = [];

    /// <summary>When set, sending throws (Service Bus down for senders).</summary>
    public bool FailSends { get; set; }

    public Task SendAsync(OutgoingIncidentMessage message, CancellationToken cancellationToken)
    {
        if (FailSends)
        {
            throw new InvalidOperationException("Service Bus is unavailable (simulated)");
        }

        Sent.Add(message);
        if (_seenIds.Add(message.MessageId))
        {
            _queue.Add(new Queued(message.Body, message.MessageId, message.ScheduledEnqueueTime ?? host.Time.GetUtcNow(), message.Subject));
        }

        return Task.CompletedTask;
    }

    /// <summary>Enqueues <paramref name="json"/> now, then delivers every due message (advancing the clock to the next one) until the queue is empty.</summary>
    public async Task RunAsync(string json, string messageId = "message-1", int maxDeliveries = 10_000)
    {
        _seenIds.Add(messageId);
        _queue.Add(new Queued(System.Text.Encoding.UTF8.GetBytes(json), messageId, host.Time.GetUtcNow(), "disable"));
        while (_queue.Count > 0 && Deliveries.Count < maxDeliveries)
        {
            var next = _queue.OrderBy(q => q.DueAt).First();
            if (next.DueAt > host.Time.GetUtcNow())
            {
                host.Time.Advance(next.DueAt - host.Time.GetUtcNow());
            }

            var incoming = new IncomingIncidentMessage(next.Body, next.MessageId, next.DeliveryCount, next.DueAt) { Subject = next.Subject };
            var decision = await host.Processor().ProcessAsync(incoming, CancellationToken.None);
            Deliveries.Add((host.Time.GetUtcNow(), next.MessageId, next.DeliveryCount, decision));
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
            host.Time.Advance(TimeSpan.FromSeconds(1));
        }
    }

    private sealed record Queued(ReadOnlyMemory<byte> Body, string MessageId, DateTimeOffset DueAt, string Subject)
    {
        public int DeliveryCount { get; init; } = 1;
    }
}
