namespace TokenFunctions.WorkerHost.ServiceBus;

/// <summary>Settings of the loopback broker and of the queues it creates.</summary>
public sealed record AmqpBrokerOptions
{
    /// <summary>Drives enqueue times, scheduled delivery and lock expiry, so a test can fast-forward them.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Queues to create at start-up (each also gets its dead-letter sub-queue).</summary>
    public IReadOnlyList<string> Queues { get; init; } = [];

    /// <summary>Service Bus default: 10 deliveries, then the message moves to the dead-letter queue.</summary>
    public int MaxDeliveryCount { get; init; } = 10;

    /// <summary>Service Bus default peek-lock duration.</summary>
    public TimeSpan LockDuration { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Advertised on every link (the client refuses to send without it); Premium's default of 1 MB.</summary>
    public long MaxMessageSize { get; init; } = 1024 * 1024;
}
