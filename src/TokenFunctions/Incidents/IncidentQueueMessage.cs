using Azure.Messaging.ServiceBus;
using Microsoft.Azure.Functions.Worker;
using TokenFunctions.Engine.Incidents;
using TokenFunctions.Engine.Incidents.Messages;

namespace TokenFunctions.Incidents;

/// <summary>
/// A message on the incident queue. The engine decides; this class only maps the trigger's message to the engine's
/// <see cref="IncomingIncidentMessage"/> and the engine's <see cref="SettlementDecision"/> back to a settlement.
/// Auto-complete is off because every message is settled here; Service Bus triggers take no retry attributes
/// (the queue's maxDeliveryCount decides redeliveries).
/// </summary>
public sealed class IncidentQueueMessage(IncidentProcessor processor)
{
    [Function(nameof(IncidentQueueMessage))]
    public async Task Run(
        [ServiceBusTrigger("%IncidentQueueName%", Connection = "ServiceBusConnection", AutoCompleteMessages = false)]
        ServiceBusReceivedMessage message,
        ServiceBusMessageActions messageActions,
        CancellationToken cancellationToken)
    {
        var decision = await processor.ProcessAsync(ToIncoming(message), cancellationToken);
        await SettleAsync(message, messageActions, decision, cancellationToken);
    }

    internal static IncomingIncidentMessage ToIncoming(ServiceBusReceivedMessage message) =>
        new(message.Body.ToMemory(), message.MessageId, message.DeliveryCount, message.EnqueuedTime)
        {
            CorrelationId = message.CorrelationId,
            ContentType = message.ContentType,
            Subject = message.Subject,
            ApplicationProperties = message.ApplicationProperties.ToDictionary(p => p.Key, p => (object?)p.Value),
        };

    internal static Task SettleAsync(
        ServiceBusReceivedMessage message,
        ServiceBusMessageActions actions,
        SettlementDecision decision,
        CancellationToken cancellationToken) => decision switch
        {
            SettlementDecision.Complete => actions.CompleteMessageAsync(message, cancellationToken),
            SettlementDecision.Abandon abandon => actions.AbandonMessageAsync(
                message, abandon.PropertiesToModify.ToDictionary(p => p.Key, p => p.Value), cancellationToken),
            SettlementDecision.DeadLetter deadLetter => actions.DeadLetterMessageAsync(
                message,
                deadLetter.PropertiesToModify.ToDictionary(p => p.Key, p => p.Value),
                deadLetter.Reason,
                deadLetter.Description,
                cancellationToken),
            _ => throw new InvalidOperationException($"Unknown settlement decision {decision.GetType().Name}."),
        };
}
