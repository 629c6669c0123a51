using TokenFunctions.Engine.Incidents.Messages;

namespace TokenFunctions.Engine.Incidents;

/// <summary>
/// The one Service Bus call the engine needs, implemented in the function app with <c>ServiceBusSender.SendMessageAsync</c>
/// (the engine cannot reference Azure.Messaging.ServiceBus). A message with
/// <see cref="OutgoingIncidentMessage.ScheduledEnqueueTime"/> is delivered no earlier than that time: the processor's
/// backoff relies on it.
/// </summary>
public interface IIncidentMessageSender
{
    Task SendAsync(OutgoingIncidentMessage message, CancellationToken cancellationToken);
}
