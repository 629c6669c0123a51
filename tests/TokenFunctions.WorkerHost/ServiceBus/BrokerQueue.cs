using System.Text;
using Amqp;
using Amqp.Framing;
using Amqp.Types;

namespace TokenFunctions.WorkerHost.ServiceBus;

/// <summary>
/// A queue with Service Bus's peek-lock semantics: a delivery locks the message under a GUID lock token for
/// <see cref="LockDuration"/>; complete removes it; abandon and lock expiry count a failed delivery and make it available
/// again; the failed delivery that reaches <see cref="MaxDeliveryCount"/> moves it to the dead-letter sub-queue with
/// <c>MaxDeliveryCountExceeded</c>; dead-letter moves it there with the receiver's reason and description; a scheduled
/// message becomes visible at its enqueue time. Time comes from the broker's <see cref="TimeProvider"/>.
/// </summary>
public sealed class BrokerQueue
{
    private const string LockTokenAnnotation = "x-opt-lock-token";

    private readonly object _gate;
    private readonly TimeProvider _time;
    private readonly Func<long> _nextSequenceNumber;
    private readonly List<BrokerMessage> _messages = [];
    private readonly List<QueueSendEndpoint> _consumers = [];
    private readonly List<BrokerEvent> _history = [];
    private readonly List<BrokeredMessageView> _arrivals = [];
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    internal BrokerQueue(string name, object gate, TimeProvider time, Func<long> nextSequenceNumber, int maxDeliveryCount, TimeSpan lockDuration, bool isDeadLetterQueue)
    {
        Name = name;
        _gate = gate;
        _time = time;
        _nextSequenceNumber = nextSequenceNumber;
        MaxDeliveryCount = maxDeliveryCount;
        LockDuration = lockDuration;
        DeadLetterQueue = isDeadLetterQueue
            ? null
            : new BrokerQueue(name + "/$DeadLetterQueue", gate, time, nextSequenceNumber, int.MaxValue, lockDuration, isDeadLetterQueue: true);
    }

    public string Name { get; }

    public int MaxDeliveryCount { get; }

    public TimeSpan LockDuration { get; }

    /// <summary>
    /// A fault for tests: messages whose id matches are refused with <c>amqp:unauthorized-access</c> (not retried by the
    /// client), as if the sender had lost its Send right. Null accepts everything.
    /// </summary>
    public Func<string?, bool>? RefuseSends { get; set; }

    /// <summary>The <c>&lt;queue&gt;/$DeadLetterQueue</c> sub-queue; null on the sub-queue itself.</summary>
    public BrokerQueue? DeadLetterQueue { get; }

    /// <summary>Every message still held: available, locked, deferred or scheduled.</summary>
    public IReadOnlyList<BrokeredMessageView> Messages
    {
        get
        {
            lock (_gate)
            {
                return [.. _messages.Select(View)];
            }
        }
    }

    /// <summary>Every message as it arrived (scheduled ones with their enqueue time), kept after it is delivered and settled.</summary>
    public IReadOnlyList<BrokeredMessageView> Arrivals
    {
        get
        {
            lock (_gate)
            {
                return [.. _arrivals];
            }
        }
    }

    public IReadOnlyList<BrokerEvent> History
    {
        get
        {
            lock (_gate)
            {
                return [.. _history];
            }
        }
    }

    /// <summary>Completes when <paramref name="condition"/> holds, re-checked after every change to this queue.</summary>
    public async Task WaitForAsync(Func<BrokerQueue, bool> condition, CancellationToken cancellationToken)
    {
        while (true)
        {
            Task changed;
            lock (_gate)
            {
                changed = _changed.Task;
            }

            if (condition(this))
            {
                return;
            }

            await changed.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    internal long Enqueue(Message message, byte[] encoded)
    {
        long sequenceNumber;
        lock (_gate)
        {
            var now = _time.GetUtcNow();
            sequenceNumber = _nextSequenceNumber();
            var stored = new BrokerMessage(sequenceNumber, encoded, ReadApplicationProperties(message), now);
            _messages.Add(stored);
            if (message.MessageAnnotations?[(Symbol)"x-opt-scheduled-enqueue-time"] is DateTime scheduled && scheduled > now.UtcDateTime)
            {
                ScheduleLocked(stored, new DateTimeOffset(DateTime.SpecifyKind(scheduled, DateTimeKind.Utc)));
            }
            else
            {
                Record(BrokerEventKind.Enqueued, stored);
            }

            _arrivals.Add(View(stored));
        }

        Pump();
        return sequenceNumber;
    }

    internal bool CancelScheduled(long sequenceNumber)
    {
        lock (_gate)
        {
            var message = _messages.Find(m => m.SequenceNumber == sequenceNumber && m.ScheduledEnqueueTime is not null);
            if (message is null)
            {
                return false;
            }

            message.Timer?.Dispose();
            _messages.Remove(message);
            Record(BrokerEventKind.ScheduleCancelled, message);
            return true;
        }
    }

    /// <summary>The receivers' links attached now.</summary>
    internal IReadOnlyList<QueueSendEndpoint> Consumers
    {
        get
        {
            lock (_gate)
            {
                return [.. _consumers];
            }
        }
    }

    internal void Attach(QueueSendEndpoint consumer)
    {
        lock (_gate)
        {
            _consumers.Add(consumer);
        }
    }

    internal void Detach(QueueSendEndpoint consumer)
    {
        lock (_gate)
        {
            _consumers.Remove(consumer);
        }
    }

    internal SettleResult Complete(Guid lockToken) => Settle(lockToken, message =>
    {
        _messages.Remove(message);
        Record(BrokerEventKind.Completed, message);
    });

    internal SettleResult Abandon(Guid lockToken, IReadOnlyDictionary<string, object?> propertiesToModify) => Settle(lockToken, message =>
    {
        Modify(message, propertiesToModify);
        Record(BrokerEventKind.Abandoned, message, Describe(propertiesToModify));
        FailDelivery(message);
    });

    internal SettleResult Release(Guid lockToken) => Settle(lockToken, message => Record(BrokerEventKind.Released, message));

    internal SettleResult Defer(Guid lockToken, IReadOnlyDictionary<string, object?> propertiesToModify) => Settle(lockToken, message =>
    {
        Modify(message, propertiesToModify);
        message.Deferred = true;
        Record(BrokerEventKind.Deferred, message);
    });

    internal SettleResult DeadLetter(Guid lockToken, string? reason, string? description, IReadOnlyDictionary<string, object?> propertiesToModify) => Settle(lockToken, message =>
    {
        Modify(message, propertiesToModify);
        MoveToDeadLetter(message, reason, description);
    });

    /// <summary>Extends a held lock by <see cref="LockDuration"/> from now; null when the lock is lost.</summary>
    internal DateTimeOffset? RenewLock(Guid lockToken)
    {
        lock (_gate)
        {
            var message = _messages.Find(m => m.LockToken == lockToken);
            if (message is null)
            {
                return null;
            }

            message.LockedUntil = _time.GetUtcNow() + LockDuration;
            message.Timer?.Change(LockDuration, Timeout.InfiniteTimeSpan);
            Record(BrokerEventKind.LockRenewed, message);
            return message.LockedUntil;
        }
    }

    /// <summary>
    /// Hands available messages to consumers with credit and answers their drains. The decisions are taken under the lock;
    /// each consumer's own loop sends them in that order (a send may wait on the peer, so never under the lock).
    /// </summary>
    internal void Pump()
    {
        lock (_gate)
        {
            var now = _time.GetUtcNow();
            foreach (var consumer in _consumers)
            {
                while (consumer.Credit > 0)
                {
                    var next = _messages.Find(m => m.LockToken is null && !m.Deferred && m.ScheduledEnqueueTime is null);
                    if (next is null)
                    {
                        break;
                    }

                    consumer.Credit--;
                    consumer.Send(Lock(next, consumer, now), next);
                }

                // A drain is answered whether or not credit is left: the receiver waits for that answer (e.g. when it
                // closes with a receive outstanding), and here nothing more can be sent to it.
                if (consumer.Link.IsDraining && !consumer.DrainPending)
                {
                    consumer.AnswerDrain(consumer.Credit);
                    consumer.Credit = 0;
                }
            }
        }
    }

    /// <summary>A locked message whose send failed (the link closed): back to available, no delivery counted.</summary>
    internal void ReturnUnsent(BrokerMessage stored)
    {
        lock (_gate)
        {
            Unlock(stored);
        }

        Pump();
    }

    private Message Lock(BrokerMessage stored, QueueSendEndpoint consumer, DateTimeOffset now)
    {
        var token = Guid.NewGuid();
        stored.LockToken = token;
        stored.LockedBy = consumer;
        stored.LockedUntil = now + LockDuration;
        stored.Timer = _time.CreateTimer(_ => ExpireLock(token), null, LockDuration, Timeout.InfiniteTimeSpan);
        Record(BrokerEventKind.Delivered, stored);

        var message = stored.Decode();
        message.Header = new Header { Durable = true, DeliveryCount = (uint)stored.FailedDeliveries };
        var annotations = message.MessageAnnotations ?? new MessageAnnotations();
        annotations[(Symbol)"x-opt-sequence-number"] = stored.SequenceNumber;
        annotations[(Symbol)"x-opt-enqueued-time"] = stored.EnqueuedTime.UtcDateTime;
        annotations[(Symbol)"x-opt-locked-until"] = stored.LockedUntil.UtcDateTime;
        annotations[(Symbol)LockTokenAnnotation] = token;
        if (stored.DeadLetterSource is not null)
        {
            annotations[(Symbol)"x-opt-deadletter-source"] = stored.DeadLetterSource;
        }

        message.MessageAnnotations = annotations;
        var properties = new ApplicationProperties();
        foreach (var (key, value) in stored.ApplicationProperties)
        {
            properties[key] = value;
        }

        message.ApplicationProperties = properties;
        return message;
    }

    /// <summary>The lock token a delivered message carries (also its delivery tag).</summary>
    internal static Guid? LockTokenOf(Message message) =>
        message.MessageAnnotations?[(Symbol)LockTokenAnnotation] is Guid token ? token : null;

    private void ExpireLock(Guid token)
    {
        lock (_gate)
        {
            var message = _messages.Find(m => m.LockToken == token);
            if (message is null)
            {
                return;
            }

            Record(BrokerEventKind.LockExpired, message);
            FailDelivery(message);
        }

        Pump();
    }

    private SettleResult Settle(Guid lockToken, Action<BrokerMessage> settle)
    {
        lock (_gate)
        {
            var message = _messages.Find(m => m.LockToken == lockToken);
            if (message is null)
            {
                _history.Add(new BrokerEvent(BrokerEventKind.LockLost, -1, null, 0, _time.GetUtcNow(), lockToken.ToString()));
                Signal();
                return SettleResult.LockLost;
            }

            Unlock(message);
            settle(message);
        }

        Pump();
        return SettleResult.Done;
    }

    private static void Unlock(BrokerMessage message)
    {
        message.Timer?.Dispose();
        message.Timer = null;
        message.LockToken = null;
        message.LockedBy = null;
    }

    /// <summary>An abandon or an expired lock: one more failed delivery; at the queue's limit, the dead-letter queue.</summary>
    private void FailDelivery(BrokerMessage message)
    {
        Unlock(message);
        message.FailedDeliveries++;
        if (message.FailedDeliveries >= MaxDeliveryCount)
        {
            MoveToDeadLetter(message, "MaxDeliveryCountExceeded", $"Message could not be consumed after {MaxDeliveryCount} delivery attempts.");
        }
    }

    private void MoveToDeadLetter(BrokerMessage message, string? reason, string? description)
    {
        _messages.Remove(message);
        if (reason is not null)
        {
            message.ApplicationProperties["DeadLetterReason"] = reason;
        }

        if (description is not null)
        {
            message.ApplicationProperties["DeadLetterErrorDescription"] = description;
        }

        Record(BrokerEventKind.DeadLettered, message, reason);
        if (DeadLetterQueue is { } deadLetters)
        {
            var copy = new BrokerMessage(message.SequenceNumber, message.Encoded, new Dictionary<string, object?>(message.ApplicationProperties), message.EnqueuedTime)
            {
                FailedDeliveries = message.FailedDeliveries,
                DeadLetterSource = Name,
            };
            deadLetters._messages.Add(copy);
            deadLetters.Record(BrokerEventKind.Enqueued, copy, reason);
        }
    }

    private void ScheduleLocked(BrokerMessage message, DateTimeOffset at)
    {
        message.ScheduledEnqueueTime = at;
        message.EnqueuedTime = at;
        var delay = at - _time.GetUtcNow();
        message.Timer = _time.CreateTimer(_ => Release(message), null, delay < TimeSpan.Zero ? TimeSpan.Zero : delay, Timeout.InfiniteTimeSpan);
        Record(BrokerEventKind.Scheduled, message, at.ToString("O"));

        void Release(BrokerMessage scheduled)
        {
            lock (_gate)
            {
                if (!_messages.Contains(scheduled))
                {
                    return;
                }

                scheduled.Timer?.Dispose();
                scheduled.Timer = null;
                scheduled.ScheduledEnqueueTime = null;
                Record(BrokerEventKind.Enqueued, scheduled);
            }

            Pump();
        }
    }

    internal long Schedule(Message message, byte[] encoded, DateTimeOffset at)
    {
        lock (_gate)
        {
            var stored = new BrokerMessage(_nextSequenceNumber(), encoded, ReadApplicationProperties(message), _time.GetUtcNow());
            _messages.Add(stored);
            ScheduleLocked(stored, at);
            _arrivals.Add(View(stored));
            return stored.SequenceNumber;
        }
    }

    private static void Modify(BrokerMessage message, IReadOnlyDictionary<string, object?> propertiesToModify)
    {
        foreach (var (key, value) in propertiesToModify)
        {
            message.ApplicationProperties[key] = value;
        }
    }

    private void Record(BrokerEventKind kind, BrokerMessage message, string? detail = null)
    {
        _history.Add(new BrokerEvent(kind, message.SequenceNumber, MessageIdOf(message), message.FailedDeliveries + 1, _time.GetUtcNow(), detail));
        Signal();
    }

    private void Signal()
    {
        var changed = _changed;
        _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        changed.TrySetResult();
    }

    private static string Describe(IReadOnlyDictionary<string, object?> properties) =>
        string.Join(", ", properties.Select(p => $"{p.Key}={p.Value}"));

    private static string? MessageIdOf(BrokerMessage message) => message.Decode().Properties?.MessageId;

    private static BrokeredMessageView View(BrokerMessage message)
    {
        var decoded = message.Decode();
        return new BrokeredMessageView(
            message.SequenceNumber,
            decoded.Properties?.MessageId,
            BodyText(decoded),
            message.FailedDeliveries + 1,
            new Dictionary<string, object?>(message.ApplicationProperties),
            message.EnqueuedTime,
            message.ScheduledEnqueueTime,
            message.LockToken is not null,
            message.Deferred);
    }

    private static string BodyText(Message message) => message.BodySection switch
    {
        Data data => Encoding.UTF8.GetString(data.Binary),
        DataList list => string.Concat(Enumerable.Range(0, list.Count).Select(i => Encoding.UTF8.GetString(list[i].Binary))),
        AmqpValue value => value.Value?.ToString() ?? string.Empty,
        _ => string.Empty,
    };

    private static Dictionary<string, object?> ReadApplicationProperties(Message message)
    {
        var result = new Dictionary<string, object?>(StringComparer.Ordinal);
        if (message.ApplicationProperties?.Map is { } map)
        {
            foreach (var key in map.Keys)
            {
                result[key.ToString()!] = map[key];
            }
        }

        return result;
    }
}
