namespace TokenFunctions.Engine.Incidents.Messages;

/// <summary>
/// One delivery of a queue message, mapped by the function app's Service Bus adapter from <c>ServiceBusReceivedMessage</c>
/// (<c>Body.ToMemory()</c>, <c>MessageId</c>, <c>DeliveryCount</c>, <c>EnqueuedTime</c>, …). The body may hold token secrets:
/// it is parsed, never logged.
/// </summary>
public sealed record IncomingIncidentMessage(ReadOnlyMemory<byte> Body, string MessageId, int DeliveryCount, DateTimeOffset EnqueuedTime)
{
    public string? CorrelationId { get; init; }

    public string? ContentType { get; init; }

    public string? Subject { get; init; }

    public IReadOnlyDictionary<string, object?> ApplicationProperties { get; init; } = new Dictionary<string, object?>();
}
