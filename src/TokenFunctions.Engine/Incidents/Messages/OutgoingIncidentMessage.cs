namespace TokenFunctions.Engine.Incidents.Messages;

/// <summary>
/// A serialized incident message ready for Service Bus: the sender adapter copies each member onto a
/// <c>ServiceBusMessage</c> (<c>new ServiceBusMessage(Body) { MessageId, Subject, ContentType, CorrelationId,
/// ScheduledEnqueueTime }</c> plus the application properties). <see cref="MessageId"/> is deterministic, so duplicate
/// detection drops repeats.
/// </summary>
public sealed record OutgoingIncidentMessage(
    ReadOnlyMemory<byte> Body,
    string MessageId,
    string Subject,
    string ContentType,
    string CorrelationId,
    IReadOnlyDictionary<string, object> ApplicationProperties)
{
    /// <summary>
    /// Deliver no earlier than this (Service Bus <c>ScheduledEnqueueTime</c>): how the processor continues retryable work
    /// after a backoff delay. Null: at once.
    /// </summary>
    public DateTimeOffset? ScheduledEnqueueTime { get; init; }
}
