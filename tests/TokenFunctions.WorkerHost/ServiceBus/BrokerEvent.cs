namespace TokenFunctions.WorkerHost.ServiceBus;

public enum BrokerEventKind
{
    Enqueued,
    Scheduled,
    ScheduleCancelled,
    Delivered,
    Completed,
    Abandoned,
    Deferred,
    Released,
    DeadLettered,
    LockExpired,
    LockRenewed,
    LockLost,
}

/// <summary>Something that happened to a message on a <see cref="BrokerQueue"/>, in order.</summary>
/// <param name="DeliveryCount">As the receiver sees it (first delivery = 1) at the time of the event.</param>
/// <param name="Detail">Dead-letter reason, or the properties an abandon changed.</param>
public sealed record BrokerEvent(BrokerEventKind Kind, long SequenceNumber, string? MessageId, int DeliveryCount, DateTimeOffset At, string? Detail = null);
