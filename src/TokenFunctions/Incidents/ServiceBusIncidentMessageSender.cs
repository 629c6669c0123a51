using Azure.Messaging.ServiceBus;
using TokenFunctions.Engine.Incidents;
using TokenFunctions.Engine.Incidents.Messages;

namespace TokenFunctions.Incidents;

/// <summary>
/// The one Service Bus call the engine needs: copy the engine's serialized message onto a <see cref="ServiceBusMessage"/>
/// (a continuation with its <see cref="ServiceBusMessage.ScheduledEnqueueTime"/>) and send it.
/// </summary>
public sealed class ServiceBusIncidentMessageSender(ServiceBusSender sender) : IIncidentMessageSender
{
    public Task SendAsync(OutgoingIncidentMessage message, CancellationToken cancellationToken) =>
        sender.SendMessageAsync(ToServiceBusMessage(message), cancellationToken);

    internal static ServiceBusMessage ToServiceBusMessage(OutgoingIncidentMessage message)
    {
        var result = new ServiceBusMessage(message.Body)
        {
            MessageId = message.MessageId,
            Subject = message.Subject,
            ContentType = message.ContentType,
            CorrelationId = message.CorrelationId,
        };
        if (message.ScheduledEnqueueTime is { } at)
        {
            result.ScheduledEnqueueTime = at;
        }

        foreach (var (key, value) in message.ApplicationProperties)
        {
            result.ApplicationProperties[key] = value;
        }

        return result;
    }
}
