using Amqp;

namespace TokenFunctions.WorkerHost.ServiceBus;

/// <summary>One message held by a <see cref="BrokerQueue"/>: the bytes the sender sent, and the broker's own state.</summary>
internal sealed class BrokerMessage(long sequenceNumber, byte[] encoded, Dictionary<string, object?> applicationProperties, DateTimeOffset enqueuedTime)
{
    public long SequenceNumber { get; } = sequenceNumber;

    /// <summary>The message as the sender encoded it (its header and annotations are replaced on delivery).</summary>
    public byte[] Encoded { get; } = encoded;

    public Dictionary<string, object?> ApplicationProperties { get; } = applicationProperties;

    public DateTimeOffset EnqueuedTime { get; set; } = enqueuedTime;

    public DateTimeOffset? ScheduledEnqueueTime { get; set; }

    /// <summary>Deliveries that ended without settlement (abandon or lock expiry): the AMQP header's delivery-count.</summary>
    public int FailedDeliveries { get; set; }

    public bool Deferred { get; set; }

    public Guid? LockToken { get; set; }

    public DateTimeOffset LockedUntil { get; set; }

    public ITimer? Timer { get; set; }

    public QueueSendEndpoint? LockedBy { get; set; }

    public string? DeadLetterSource { get; set; }

    public Message Decode()
    {
        var buffer = new ByteBuffer(Encoded, 0, Encoded.Length, Encoded.Length);
        return Message.Decode(buffer);
    }
}
