namespace TokenFunctions.WorkerHost.ServiceBus;

/// <summary>A snapshot of a message held by the broker, for assertions.</summary>
/// <param name="DeliveryCount">What the next receiver would see (failed deliveries + 1).</param>
public sealed record BrokeredMessageView(
    long SequenceNumber,
    string? MessageId,
    string Body,
    int DeliveryCount,
    IReadOnlyDictionary<string, object?> ApplicationProperties,
    DateTimeOffset EnqueuedTime,
    DateTimeOffset? ScheduledEnqueueTime,
    bool Locked,
    bool Deferred)
{
    public string? DeadLetterReason => ApplicationProperties.GetValueOrDefault("DeadLetterReason") as string;

    public string? DeadLetterErrorDescription => ApplicationProperties.GetValueOrDefault("DeadLetterErrorDescription") as string;
}
